package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The runner's command line, {@code tidemark-migrate <command> [options]}, declared for picocli:
 * the options every command takes on {@link Root} (accepted before or after the command word),
 * each command's own options on its class below. Strict on purpose: an option the command does
 * not take is an error, so that a typo in a Job's args fails loudly instead of being ignored.
 *
 * <p>Every usage error becomes a {@link RunnerException} with reason InvalidArgument (exit 3)
 * and a one-line message naming the option; picocli never prints and never exits. The --help
 * text is rendered from the same declarations.
 */
public final class RunnerCommandLine {
  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
  private static final int USAGE_WIDTH = 100;
  /** Option labels as '--password PW' (see commandLine). */
  private static final Help.IParamLabelRenderer SPACED_LABEL = new Help.IParamLabelRenderer() {
    @Override
    public Help.Ansi.Text renderParameterLabel(
        ArgSpec arg, Help.Ansi ansi, List<Help.Ansi.IStyle> styles) {
      return ansi.apply(arg.arity().max() > 0 ? " " + arg.paramLabel() : "", styles);
    }

    @Override
    public String separator() {
      return " ";
    }
  };

  /** Every option name of every command. */
  private static final Set<String> ALL_OPTIONS = optionNames(false);
  /** The options that take a value, of every command: the word after one is its value. */
  private static final Set<String> VALUED = optionNames(true);

  private RunnerCommandLine() {}

  /** Parses and validates the arguments; a usage error throws InvalidArgument. */
  public static CliOptions parse(List<String> args) {
    Root root = new Root();
    CommandLine line = commandLine(root);
    ParseResult parsed;
    try {
      parsed = line.parseArgs(commandWordFirst(args).toArray(String[]::new));
    } catch (ParameterException e) {
      throw usageError(e, args);
    }
    ParseResult sub = parsed.hasSubcommand() ? parsed.subcommand() : null;
    rejectRepeatedValues(parsed, sub);
    Subcommand command = sub == null ? null : (Subcommand) sub.commandSpec().userObject();
    if (parsed.isUsageHelpRequested() || (sub != null && sub.isUsageHelpRequested())) {
      return root.options(command == null ? null : command.command, true, Subcommand.NONE);
    }
    if (command == null) {
      throw invalid("no command given; expected one of migrate, undo, info, validate, baseline,"
          + " plan, preview, verify-roundtrip (see --help)");
    }
    return root.options(command.command, false, command);
  }

  /** The --help text; docs/runner.md is the long form. */
  public static String usage() {
    return commandLine(new Root()).getUsageMessage(Help.Ansi.OFF).stripTrailing();
  }

  /**
   * Finds an option's value without validating anything else, so that even a usage error can
   * be written to the report file the operator reads, and a password given on the command line
   * is known to the redactor before anything can echo it.
   */
  public static String lenientValue(List<String> args, String option) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals(option) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (arg.startsWith(option + "=")) {
        return arg.substring(option.length() + 1);
      }
    }
    return null;
  }

  /** The command word, if the first argument that is neither an option nor its value is one. */
  public static Command lenientCommand(List<String> args) {
    int at = commandWordIndex(args);
    return at < 0 ? null : Command.byName(args.get(at)).orElse(null);
  }

  private static int commandWordIndex(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (VALUED.contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The runner has always taken options on either side of the command word ({@code --report F
   * migrate}); picocli takes a command's own options only after it, so the word goes first.
   */
  private static List<String> commandWordFirst(List<String> args) {
    int at = commandWordIndex(args);
    if (at <= 0 || lenientCommand(args) == null) {
      return args;
    }
    List<String> reordered = new ArrayList<>(args);
    reordered.add(0, reordered.remove(at));
    return reordered;
  }

  private static CommandLine commandLine(Root root) {
    CommandLine line = new CommandLine(root);
    for (Subcommand sub : Subcommand.all()) {
      line.addSubcommand(sub.command.cliName(), sub);
    }
    if (line.getSubcommands().size() != Command.values().length) {
      throw new IllegalStateException("a command without its declaration: " + line.getSubcommands());
    }
    // An argument is never read as a file of arguments (@file): a password may start with @.
    line.setExpandAtFiles(false);
    // The word after an option that takes a value is its value, even when it starts with '-'
    // (a password), as before; what it is checked for comes after.
    line.setAllowOptionsAsOptionParameters(true);
    line.setPosixClusteredShortOptionsAllowed(false);
    // --json --json is harmless; an option with a value given twice is refused below, also when
    // once before and once after the command word.
    line.setOverwrittenOptionsAllowed(true);
    UsageMessageSpec usage = line.getCommandSpec().usageMessage();
    usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
        help -> commandList(help.commandSpec().commandLine()));
    // "--password PW", not picocli's "--password=PW": the redactor masks whatever follows
    // "password=" in every line the runner prints, the usage too.
    usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        help -> help.optionList(help.createDefaultLayout(), null, SPACED_LABEL));
    usage.sectionKeys(List.of(
        UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
        UsageMessageSpec.SECTION_KEY_SYNOPSIS,
        UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
        UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
        UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
        UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
        UsageMessageSpec.SECTION_KEY_FOOTER));
    return line;
  }

  /** Each command with its own options and what it does, as the old hand-written text had it. */
  private static String commandList(CommandLine line) {
    Help.TextTable table = Help.TextTable.forColumns(Help.defaultColorScheme(Help.Ansi.OFF),
        new Column(38, 2, Overflow.SPAN), new Column(USAGE_WIDTH - 38, 0, Overflow.WRAP));
    table.indentWrappedLines = 0;
    for (CommandLine sub : line.getSubcommands().values()) {
      StringBuilder synopsis = new StringBuilder(sub.getCommandName());
      for (OptionSpec option : sub.getCommandSpec().options()) {
        if (option.inherited() || option.usageHelp()) {
          continue;
        }
        String text = option.longestName()
            + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
        synopsis.append(' ').append(option.required() ? text : "[" + text + "]");
      }
      String[] description = sub.getCommandSpec().usageMessage().description();
      table.addRowValues(synopsis.toString(), description.length == 0 ? "" : description[0]);
      for (int i = 1; i < description.length; i++) {
        table.addRowValues("", description[i]);
      }
    }
    return table.toString();
  }

  /** Picocli's exception, as the runner's one-line usage error. */
  private static RunnerException usageError(ParameterException e, List<String> args) {
    if (e.getCause() instanceof RunnerException checked) {
      return checked; // a converter's own message: the option, the value, what it should be
    }
    CommandLine where = e.getCommandLine();
    Command command = where.getCommandSpec().userObject() instanceof Subcommand sub
        ? sub.command
        : lenientCommand(args);
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String arg = unmatched.getUnmatched().get(0);
      if (arg.startsWith("-")) {
        int eq = arg.indexOf('=');
        String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
        if (command != null && ALL_OPTIONS.contains(name)) {
          return invalid(command.cliName() + " does not take " + name);
        }
        return invalid("unknown option " + name + "; see --help");
      }
      if (where.getParent() == null && command == null) {
        return invalid("unknown command '" + arg + "'; see --help");
      }
      return invalid("unexpected argument '" + arg + "'");
    }
    if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      String name = option.longestName();
      if (args.contains(name)) {
        return invalid(name + " needs a value");
      }
      return invalid((command == null ? "this command" : command.cliName()) + " needs " + name
          + " " + option.paramLabel() + " (" + option.description()[0] + ")");
    }
    return invalid(Messages.normalize(e.getMessage()) + "; see --help");
  }

  /** An option with a value given twice, in one place or before and after the command word. */
  private static void rejectRepeatedValues(ParseResult root, ParseResult sub) {
    Map<String, Integer> seen = new HashMap<>();
    List<ArgSpec> matched = new ArrayList<>(root.matchedArgs());
    if (sub != null) {
      matched.addAll(sub.matchedArgs());
    }
    for (ArgSpec arg : matched) {
      if (arg instanceof OptionSpec option && option.arity().max() > 0
          && seen.merge(option.longestName(), 1, Integer::sum) > 1) {
        throw invalid(option.longestName() + " given twice");
      }
    }
  }

  /** Every option name of the runner (or only those that take a value). */
  private static Set<String> optionNames(boolean valuedOnly) {
    CommandLine root = commandLine(new Root());
    Set<String> names = new TreeSet<>();
    List<CommandLine> lines = new ArrayList<>(List.of(root));
    lines.addAll(root.getSubcommands().values());
    for (CommandLine line : lines) {
      for (OptionSpec option : line.getCommandSpec().options()) {
        if (!valuedOnly || option.arity().max() > 0) {
          names.addAll(List.of(option.names()));
        }
      }
    }
    return names;
  }

  private static RunnerException invalid(String message) {
    return new RunnerException(Reason.InvalidArgument, message);
  }

  /** The options every command takes, before or after the command word. */
  @CommandLine.Command(
      name = "tidemark-migrate",
      customSynopsis = "tidemark-migrate <command> [options]",
      commandListHeading = "%nCommands:%n",
      optionListHeading = "%nOptions:%n",
      footerHeading = "%n",
      footer = {
          "Exit codes: 0 ok, 1 migration or undo failed, 2 validation failed (drift, round trip),"
              + " 3 bad input (usage, unknown revision, missing undo script, no migrations, a"
              + " non-empty schema without history), 4 cannot connect, 5 internal error."},
      usageHelpWidth = USAGE_WIDTH,
      sortOptions = false)
  static final class Root {
    @Option(names = "--url", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT,
        description = "jdbc:postgresql://host:port/db (default: PGHOST, PGPORT, PGDATABASE,"
            + " PGUSER, PGPASSWORD, PGSSLMODE from the environment)")
    String url;

    @Option(names = "--user", paramLabel = "NAME", scope = ScopeType.INHERIT,
        description = "with --url (default PGUSER)")
    String user;

    @Option(names = "--password", paramLabel = "PW", scope = ScopeType.INHERIT,
        description = "with --url (better given as PGPASSWORD: command lines are visible)")
    String password;

    @Option(names = "--location", paramLabel = "DIR", scope = ScopeType.INHERIT,
        description = "the migration scripts (default /migrations)")
    String location;

    @Option(names = "--schema", paramLabel = "NAME", scope = ScopeType.INHERIT,
        converter = SchemaName.class,
        description = "schema of flyway_schema_history and default schema (default public)")
    String schema;

    @Option(names = "--report", paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "write the outcome as compact JSON (<= 4096 bytes)")
    String report;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
        converter = LockTimeout.class,
        description = "PostgreSQL lock_timeout, e.g. 10s, 500ms, 1min, 0")
    String lockTimeout;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
        converter = StatementTimeout.class,
        description = "PostgreSQL statement_timeout, same format")
    String statementTimeout;

    @Option(names = "--connect-retries", paramLabel = "N", scope = ScopeType.INHERIT,
        converter = ConnectRetries.class,
        description = "retries of the first connection, with backoff (default 5)")
    Integer connectRetries;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
        description = "this text")
    boolean help;

    CliOptions options(Command command, boolean help, Subcommand sub) {
      return new CliOptions(
          command,
          help,
          sub.target(),
          sub.to(),
          sub.version(),
          sub.json(),
          url,
          user,
          password,
          location == null ? CliOptions.DEFAULT_LOCATION : Path.of(location),
          report == null ? null : Path.of(report),
          lockTimeout,
          statementTimeout,
          connectRetries == null ? CliOptions.DEFAULT_CONNECT_RETRIES : connectRetries,
          schema == null ? CliOptions.DEFAULT_SCHEMA : schema,
          sub.clearFailed());
    }
  }

  /** A command and the options only it takes; the values it does not take are null. */
  abstract static class Subcommand {
    /** Stands for "no command" when --help comes without one. */
    static final Subcommand NONE = new Subcommand(null) {};

    final Command command;

    Subcommand(Command command) {
      this.command = command;
    }

    static List<Subcommand> all() {
      Map<Command, Subcommand> all = new LinkedHashMap<>();
      for (Subcommand sub : List.of(new Migrate(), new Undo(), new Info(), new Validate(),
          new Baseline(), new PlanCommand(), new Preview(), new VerifyRoundtrip())) {
        all.put(sub.command, sub);
      }
      return List.copyOf(all.values());
    }

    String target() {
      return null;
    }

    String to() {
      return null;
    }

    String version() {
      return null;
    }

    boolean json() {
      return false;
    }

    String clearFailed() {
      return null;
    }
  }

  @CommandLine.Command(description = {
      "apply pending migrations up to the target (default latest);",
      "--clear-failed first runs the undo script of a revision that failed part-way outside a"
          + " transaction and removes its failed row (plan takes it too, to plan the same)"})
  static final class Migrate extends Subcommand {
    @Option(names = "--target", paramLabel = "VERSION|latest",
        description = "the revision to migrate to (default latest)")
    String target;

    @Option(names = "--clear-failed", paramLabel = "VERSION", converter = FailedRevision.class,
        description = "the revision that failed part-way")
    String clearFailed;

    Migrate() {
      super(Command.MIGRATE);
    }

    @Override
    String target() {
      return target;
    }

    @Override
    String clearFailed() {
      return clearFailed;
    }
  }

  @CommandLine.Command(description =
      "run undo scripts (U<version>__*.sql) newest first down to VERSION; 0 is base")
  static final class Undo extends Subcommand {
    @Option(names = "--target", paramLabel = "VERSION", required = true,
        description = "the revision to undo down to; 0 for base")
    String target;

    Undo() {
      super(Command.UNDO);
    }

    @Override
    String target() {
      return target;
    }
  }

  @CommandLine.Command(description = "current revision, applied history, pending, latest")
  static final class Info extends Subcommand {
    @Option(names = "--json", arity = "0", description = "as JSON")
    boolean json;

    Info() {
      super(Command.INFO);
    }

    @Override
    boolean json() {
      return json;
    }
  }

  @CommandLine.Command(description =
      "checksum drift and applied revisions missing from the image")
  static final class Validate extends Subcommand {
    Validate() {
      super(Command.VALIDATE);
    }
  }

  @CommandLine.Command(description = {
      "adopt an existing database (tables, no history) at VERSION;",
      "the others refuse such a database until then"})
  static final class Baseline extends Subcommand {
    @Option(names = "--version", paramLabel = "VERSION", required = true,
        description = "the revision the database already matches")
    String version;

    Baseline() {
      super(Command.BASELINE);
    }

    @Override
    String version() {
      return version;
    }
  }

  @CommandLine.Command(description = "what migrate/undo to the target would do")
  static final class PlanCommand extends Subcommand {
    @Option(names = "--target", paramLabel = "VERSION|latest",
        description = "the revision to plan for (default latest)")
    String target;

    @Option(names = "--json", arity = "0", description = "as JSON")
    boolean json;

    @Option(names = "--clear-failed", paramLabel = "VERSION", converter = FailedRevision.class,
        description = "the revision that failed part-way")
    String clearFailed;

    PlanCommand() {
      super(Command.PLAN);
    }

    @Override
    String target() {
      return target;
    }

    @Override
    boolean json() {
      return json;
    }

    @Override
    String clearFailed() {
      return clearFailed;
    }
  }

  @CommandLine.Command(description = "print the SQL that would run, up or down")
  static final class Preview extends Subcommand {
    @Option(names = "--target", paramLabel = "VERSION|latest",
        description = "the revision to preview up or down to (default latest)")
    String target;

    Preview() {
      super(Command.PREVIEW);
    }

    @Override
    String target() {
      return target;
    }
  }

  @CommandLine.Command(description =
      "migrate to latest, undo to VERSION (default 0), migrate again and compare the catalog"
          + " (destructive; for CI)")
  static final class VerifyRoundtrip extends Subcommand {
    @Option(names = "--to", paramLabel = "VERSION",
        description = "the revision to undo down to (default 0)")
    String to;

    VerifyRoundtrip() {
      super(Command.VERIFY_ROUNDTRIP);
    }

    @Override
    String to() {
      return to;
    }
  }

  /** --schema: a plain identifier, since it ends up in SQL. */
  static final class SchemaName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!SCHEMA_NAME.matcher(value).matches()) {
        throw invalid("--schema '" + value + "' is not a plain PostgreSQL identifier");
      }
      return value;
    }
  }

  static final class LockTimeout implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return PgDuration.parse("--lock-timeout", value);
    }
  }

  static final class StatementTimeout implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return PgDuration.parse("--statement-timeout", value);
    }
  }

  static final class ConnectRetries implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (!value.matches("\\d{1,3}")) {
        throw invalid("--connect-retries '" + value + "' is not a number between 0 and 999");
      }
      return Integer.parseInt(value);
    }
  }

  static final class FailedRevision implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!Revisions.isWellFormed(value)) {
        throw invalid("--clear-failed '" + value + "' is not a revision such as 3 or 2025.01.31.2");
      }
      return value;
    }
  }
}
