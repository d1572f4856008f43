package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The runner's command line, {@code tidemark-migrate <command> [options]}, on picocli: the options
 * every command takes ({@link #commandLine}, accepted before or after the command word) and each
 * command with its own options ({@link #commands}). Strict on purpose: an option the command does
 * not take is an error, so that a typo in a Job's args fails loudly instead of being ignored.
 *
 * <p>Every usage error becomes a {@link RunnerException} with reason InvalidArgument (exit 3) and a
 * one-line message naming the option; picocli never prints and never exits. The --help text is
 * rendered from the same declarations. Built with picocli's programmatic API rather than
 * annotations: the runner starts once per Job, and reading annotations by reflection cost about as
 * much again as loading picocli.
 */
public final class RunnerCommandLine {
  private static final int USAGE_WIDTH = 100;
  private static final String EXIT_CODES =
      "Exit codes: 0 ok, 1 migration or undo failed, 2 validation failed (drift, round trip),"
          + " 3 bad input (usage, unknown revision, missing undo script, no migrations, a"
          + " non-empty schema without history), 4 cannot connect, 5 internal error, 6 wait timed"
          + " out, 7 backup failed (change).";

  /** Option labels as "--password PW" (see commandLine). */
  private static final Help.IParamLabelRenderer SPACED_LABEL =
      new Help.IParamLabelRenderer() {
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
  private static final Set<String> ALL_OPTIONS = new TreeSet<>();

  /** The options that take a value, of every command: the word after one is its value. */
  private static final Set<String> VALUED = new TreeSet<>();

  static {
    CommandLine root = commandLine();
    List<CommandLine> lines = new ArrayList<>(List.of(root));
    lines.addAll(root.getSubcommands().values());
    for (CommandLine line : lines) {
      for (OptionSpec option : line.getCommandSpec().options()) {
        ALL_OPTIONS.addAll(List.of(option.names()));
        if (option.arity().max() > 0) {
          VALUED.addAll(List.of(option.names()));
        }
      }
    }
  }

  private RunnerCommandLine() {}

  /** Each command, what it does, and the options only it takes. */
  private static Map<Command, CommandSpec> commands() {
    Map<Command, CommandSpec> commands = new EnumMap<>(Command.class);
    commands.put(
        Command.MIGRATE,
        command(
            List.of(
                "apply pending migrations up to the target (default latest);",
                "--clear-failed first runs the undo script of a revision that failed part-way"
                    + " outside a transaction and removes its failed row (plan takes it too, to plan"
                    + " the same);",
                "--baseline-at adopts a schema that has objects but no history at VERSION first"
                    + " (ignored when the database has a history or an empty schema)"),
            valued("--target", "VERSION|latest", "the revision to migrate to (default latest)"),
            clearFailedOption(),
            baselineAtOption()));
    commands.put(
        Command.UNDO,
        command(
            List.of("run undo scripts (U<version>__*.sql) newest first down to VERSION; 0 is base"),
            required(valued("--target", "VERSION", "the revision to undo down to; 0 for base"))));
    commands.put(
        Command.INFO,
        command(
            List.of("current revision, applied history, pending, latest"),
            flag("--json", "as JSON")));
    commands.put(
        Command.VALIDATE,
        command(List.of("checksum drift and applied revisions missing from the image")));
    commands.put(
        Command.BASELINE,
        command(
            List.of(
                "adopt an existing database (tables, no history) at VERSION;",
                "the others refuse such a database until then"),
            required(valued("--version", "VERSION", "the revision the database already matches"))));
    commands.put(
        Command.PLAN,
        command(
            List.of(
                "what migrate/undo to the target would do;",
                "--rehearse applies it to a schema-only copy in a scratch database first and"
                    + " reports what each revision does that is destructive"),
            valued("--target", "VERSION|latest", "the revision to plan for (default latest)"),
            flag("--json", "as JSON"),
            clearFailedOption(),
            baselineAtOption(),
            flag(
                "--rehearse",
                "rehearse on a schema-only copy (needs CREATEDB; the scratch database is dropped)")));
    commands.put(
        Command.PREVIEW,
        command(
            List.of("print the SQL that would run, up or down"),
            valued(
                "--target",
                "VERSION|latest",
                "the revision to preview up or down to (default latest)")));
    commands.put(
        Command.VERIFY_ROUNDTRIP,
        command(
            List.of(
                "migrate to latest, undo to VERSION (default 0), migrate again and compare the"
                    + " catalog (destructive; for CI)"),
            valued("--to", "VERSION", "the revision to undo down to (default 0)")));
    commands.put(
        Command.WAIT,
        command(
            List.of(
                "wait until the database is at VERSION or later (latest: the newest in --location),"
                    + " checking the history table with backoff; for an application's init"
                    + " container. Changes nothing"),
            required(
                valued(
                    "--revision",
                    "VERSION|latest",
                    "the revision the application needs",
                    OptionValues::waitRevision)),
            valued(
                "--timeout",
                "DURATION",
                "give up after this long, e.g. 90s, 10m, 1h; 0 waits for ever (default 10m)",
                value -> WaitTimeout.parse(value).label())));
    commands.put(
        Command.CHANGE,
        command(
            List.of(
                "the whole change in one process: plan, the checks asked for, a backup"
                    + " (pg_dump -Fc, verified) when --backup-dir is given, then migrate or undo to"
                    + " the target; the report has each stage. Refuses before changing anything"
                    + " when a check fails"),
            valued("--target", "VERSION|latest", "the revision to reach (default latest)"),
            clearFailedOption(),
            baselineAtOption(),
            flag("--allow-downgrade", "allow undo scripts to run (a target below the current)"),
            flag(
                "--require-undo",
                "refuse to apply a revision without an undo script (rollback by undo)"),
            valued(
                "--expect-digest",
                "DIGEST",
                "refuse unless the scripts' digest is this one (the approved plan's)"),
            valued(
                "--expect-from",
                "VERSION",
                "refuse unless the database is at this revision (the approved plan's start)"),
            valued(
                "--backup-dir",
                "DIR",
                "take a backup into this folder first, named <prefix><UTC time>_r<revision>.dump"
                    + " (pg_dump reads the libpq variables)"),
            valued(
                "--backup-prefix",
                "PREFIX",
                "prune only older backups whose names start with it",
                OptionValues::backupFileName),
            valued(
                "--backup-keep",
                "N",
                "how many backups of the prefix to keep, the new one included (default 3)",
                OptionValues::backupKeep),
            valued(
                "--backup-protect",
                "NAME",
                "a backup that pruning must keep",
                OptionValues::backupFileName)));
    return commands;
  }

  /** --clear-failed, of migrate, plan and change. */
  private static OptionSpec clearFailedOption() {
    return valued(
        "--clear-failed",
        "VERSION",
        "the revision that failed part-way",
        OptionValues::failedRevision);
  }

  /** --baseline-at, of migrate, plan and change. */
  private static OptionSpec baselineAtOption() {
    return valued(
        "--baseline-at",
        "VERSION",
        "the revision an existing schema without history matches",
        OptionValues::baselineRevision);
  }

  private static CommandLine commandLine() {
    CommandSpec root = CommandSpec.create().name("tidemark-migrate");
    root.addOption(
        common(
            "--url",
            "JDBC_URL",
            "jdbc:postgresql://host:port/db (default: PGHOST,"
                + " PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE from the environment)"));
    root.addOption(common("--user", "NAME", "with --url (default PGUSER)"));
    root.addOption(
        common(
            "--password",
            "PW",
            "with --url (better given as PGPASSWORD: command lines are visible)"));
    root.addOption(common("--location", "DIR", "the migration scripts (default /migrations)"));
    root.addOption(
        common(
            "--schema",
            "NAME[,NAME...]",
            "the managed schemas, separated by commas; the first holds flyway_schema_history and"
                + " is the default schema (default public)",
            String.class,
            OptionValues::schemaName));
    root.addOption(common("--report", "FILE", "write the outcome as compact JSON (<= 4096 bytes)"));
    root.addOption(
        common(
            "--lock-timeout",
            "DURATION",
            "PostgreSQL lock_timeout, e.g. 10s, 500ms, 1min, 0",
            String.class,
            value -> PgDuration.parse("--lock-timeout", value)));
    root.addOption(
        common(
            "--statement-timeout",
            "DURATION",
            "PostgreSQL statement_timeout, same format",
            String.class,
            value -> PgDuration.parse("--statement-timeout", value)));
    root.addOption(
        common(
            "--connect-retries",
            "N",
            "retries of the first connection, with backoff (default 5)",
            Integer.class,
            OptionValues::connectRetries));
    root.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .scopeType(ScopeType.INHERIT)
            .description("this text")
            .build());

    CommandLine line = new CommandLine(root);
    commands().forEach((command, spec) -> line.addSubcommand(command.cliName(), spec));
    // An argument is never read as a file of arguments (@file): a password may start with @.
    line.setExpandAtFiles(false);
    // The word after an option that takes a value is its value, even when it starts with '-'
    // (a password), as before; what it is checked for comes after.
    line.setAllowOptionsAsOptionParameters(true);
    line.setPosixClusteredShortOptionsAllowed(false);
    // --json --json is harmless; an option with a value given twice is refused in parse, also
    // when once before and once after the command word.
    line.setOverwrittenOptionsAllowed(true);

    UsageMessageSpec usage =
        root.usageMessage()
            .customSynopsis("tidemark-migrate <command> [options]")
            .commandListHeading("%nCommands:%n")
            .optionListHeading("%nOptions:%n")
            .footerHeading("%n")
            .footer(EXIT_CODES)
            .width(USAGE_WIDTH)
            .sortOptions(false);
    usage
        .sectionMap()
        .put(
            UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            help -> commandList(help.commandSpec().commandLine()));
    // Labels as "--password PW", not picocli's "--password=PW": the redactor masks whatever
    // follows a password key and an equals sign in every line the runner prints, usage included.
    usage
        .sectionMap()
        .put(
            UsageMessageSpec.SECTION_KEY_OPTION_LIST,
            help -> help.optionList(help.createDefaultLayout(), null, SPACED_LABEL));
    usage.sectionKeys(
        List.of(
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

  /** Parses and validates the arguments; a usage error throws InvalidArgument. */
  public static CliOptions parse(List<String> args) {
    ParseResult parsed;
    try {
      parsed = commandLine().parseArgs(commandWordFirst(args).toArray(String[]::new));
    } catch (ParameterException e) {
      throw usageError(e, args);
    }
    ParseResult sub = parsed.hasSubcommand() ? parsed.subcommand() : null;
    rejectRepeatedValues(parsed, sub);
    Command command = sub == null ? null : Command.byName(sub.commandSpec().name()).orElseThrow();
    boolean help = parsed.isUsageHelpRequested() || (sub != null && sub.isUsageHelpRequested());
    if (command == null && !help) {
      throw invalid(
          "no command given; expected one of migrate, undo, info, validate, baseline,"
              + " plan, preview, verify-roundtrip, wait, change (see --help)");
    }
    // After the reordering in commandWordFirst, a command's options are all matched in its own
    // parse result, the common ones too; without a command only --help matters.
    ParseResult values = sub == null ? parsed : sub;
    String location = values.matchedOptionValue("--location", null);
    String report = values.matchedOptionValue("--report", null);
    return new CliOptions(
        command,
        help,
        values.matchedOptionValue("--target", null),
        values.matchedOptionValue("--to", null),
        values.matchedOptionValue("--version", null),
        values.matchedOptionValue("--json", false),
        values.matchedOptionValue("--url", null),
        values.matchedOptionValue("--user", null),
        values.matchedOptionValue("--password", null),
        location == null ? CliOptions.DEFAULT_LOCATION : Path.of(location),
        report == null ? null : Path.of(report),
        values.matchedOptionValue("--lock-timeout", null),
        values.matchedOptionValue("--statement-timeout", null),
        values.matchedOptionValue("--connect-retries", CliOptions.DEFAULT_CONNECT_RETRIES),
        values.matchedOptionValue("--schema", CliOptions.DEFAULT_SCHEMA),
        values.matchedOptionValue("--clear-failed", null),
        values.matchedOptionValue("--baseline-at", null),
        values.matchedOptionValue("--rehearse", false),
        values.matchedOptionValue("--revision", null),
        values.matchedOptionValue("--timeout", null),
        command == Command.CHANGE ? changeOptions(values) : CliOptions.ChangeOptions.NONE);
  }

  private static CliOptions.ChangeOptions changeOptions(ParseResult values) {
    String dir = values.matchedOptionValue("--backup-dir", null);
    String prefix = values.matchedOptionValue("--backup-prefix", null);
    if (dir != null && prefix == null) {
      throw invalid("change --backup-dir needs --backup-prefix (the names of this schema's dumps)");
    }
    if (dir == null && prefix != null) {
      throw invalid("--backup-prefix goes with --backup-dir");
    }
    return new CliOptions.ChangeOptions(
        values.matchedOptionValue("--allow-downgrade", false),
        values.matchedOptionValue("--require-undo", false),
        values.matchedOptionValue("--expect-digest", null),
        values.matchedOptionValue("--expect-from", null),
        dir,
        prefix,
        Integer.parseInt(values.matchedOptionValue("--backup-keep", "3")),
        values.matchedOptionValue("--backup-protect", null));
  }

  /** The --help text; docs/runner.md is the long form. */
  public static String usage() {
    return commandLine().getUsageMessage(Help.Ansi.OFF).stripTrailing();
  }

  /**
   * Finds an option's value without validating anything else, so that even a usage error can be
   * written to the report file the operator reads, and a password given on the command line is
   * known to the redactor before anything can echo it.
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

  private static CommandSpec command(List<String> description, OptionSpec... options) {
    CommandSpec spec = CommandSpec.create();
    spec.usageMessage().description(description.toArray(String[]::new));
    for (OptionSpec option : options) {
      spec.addOption(option);
    }
    return spec;
  }

  /** An option every command takes, before or after the command word. */
  private static OptionSpec common(String name, String label, String description) {
    return common(name, label, description, String.class, value -> value);
  }

  private static <T> OptionSpec common(
      String name, String label, String description, Class<T> type, ITypeConverter<T> check) {
    return OptionSpec.builder(name)
        .paramLabel(label)
        .arity("1")
        .type(type)
        .converters(check)
        .scopeType(ScopeType.INHERIT)
        .description(description)
        .build();
  }

  private static OptionSpec valued(String name, String label, String description) {
    return valued(name, label, description, value -> value);
  }

  private static OptionSpec valued(
      String name, String label, String description, ITypeConverter<String> check) {
    return OptionSpec.builder(name)
        .paramLabel(label)
        .arity("1")
        .type(String.class)
        .converters(check)
        .description(description)
        .build();
  }

  private static OptionSpec flag(String name, String description) {
    return OptionSpec.builder(name).arity("0").type(boolean.class).description(description).build();
  }

  private static OptionSpec required(OptionSpec option) {
    return option.toBuilder().required(true).build();
  }

  /** Each command with its own options and what it does, as the old hand-written text had it. */
  private static String commandList(CommandLine line) {
    Help.TextTable table =
        Help.TextTable.forColumns(
            Help.defaultColorScheme(Help.Ansi.OFF),
            new Column(38, 2, Overflow.SPAN),
            new Column(USAGE_WIDTH - 38, 0, Overflow.WRAP));
    table.indentWrappedLines = 0;
    for (CommandLine sub : line.getSubcommands().values()) {
      StringBuilder synopsis = new StringBuilder(sub.getCommandName());
      for (OptionSpec option : sub.getCommandSpec().options()) {
        if (option.inherited() || option.usageHelp()) {
          continue;
        }
        String text =
            option.longestName() + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
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
      return checked; // a check's own message: the option, the value, what it should be
    }
    CommandLine where = e.getCommandLine();
    boolean atRoot = where.getParent() == null;
    Command command =
        atRoot ? lenientCommand(args) : Command.byName(where.getCommandName()).orElse(null);
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
      if (atRoot && command == null) {
        return invalid("unknown command '" + arg + "'; see --help");
      }
      return invalid("unexpected argument '" + arg + "'");
    }
    if (e instanceof MissingParameterException missing
        && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      String name = option.longestName();
      if (args.contains(name)) {
        return invalid(name + " needs a value");
      }
      return invalid(
          (command == null ? "this command" : command.cliName())
              + " needs "
              + name
              + " "
              + option.paramLabel()
              + " ("
              + option.description()[0]
              + ")");
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
      if (arg instanceof OptionSpec option
          && option.arity().max() > 0
          && seen.merge(option.longestName(), 1, Integer::sum) > 1) {
        throw invalid(option.longestName() + " given twice");
      }
    }
  }

  static RunnerException invalid(String message) {
    return new RunnerException(Reason.InvalidArgument, message);
  }
}
