package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The runner's command line, {@code tidemark-migrate <command> [options]}, parsed with picocli from
 * the declarations in {@link RunnerOptions}: the options every command takes, accepted before or
 * after the command word, and each command's own. Strict on purpose: an option the command does not
 * take is an error, so that a typo in a Job's args fails loudly instead of being ignored.
 *
 * <p>Every usage error becomes a {@link RunnerException} with reason InvalidArgument (exit 3) and a
 * one-line message naming the option; picocli never prints and never exits. The --help text ({@link
 * RunnerUsage}) is rendered from the same declarations. Built with picocli's programmatic API
 * rather than annotations: the runner starts once per Job, and reading annotations by reflection
 * cost about as much again as loading picocli.
 */
public final class RunnerCommandLine {
  /** Every option name of every command. */
  private static final Set<String> ALL_OPTIONS = new TreeSet<>();

  /** The options that take a value, of every command: the word after one is its value. */
  private static final Set<String> VALUED = new TreeSet<>();

  static {
    // From the declarations, without building a command line (parse builds the one it uses).
    List<CommandSpec> specs = new ArrayList<>(List.of(RunnerOptions.root()));
    specs.addAll(RunnerOptions.commands().values());
    for (CommandSpec spec : specs) {
      for (OptionSpec option : spec.options()) {
        ALL_OPTIONS.addAll(List.of(option.names()));
        if (option.arity().max() > 0) {
          VALUED.addAll(List.of(option.names()));
        }
      }
    }
  }

  private RunnerCommandLine() {}

  private static CommandLine commandLine() {
    CommandSpec root = RunnerOptions.root();
    CommandLine line = new CommandLine(root);
    RunnerOptions.commands()
        .forEach((command, spec) -> line.addSubcommand(command.cliName(), spec));
    // An argument is never read as a file of arguments (@file): a password may start with @.
    line.setExpandAtFiles(false);
    // The word after an option that takes a value is its value, even when it starts with '-'
    // (a password), as before; what it is checked for comes after.
    line.setAllowOptionsAsOptionParameters(true);
    line.setPosixClusteredShortOptionsAllowed(false);
    // --json --json is harmless; an option with a value given twice is refused in parse, also
    // when once before and once after the command word.
    line.setOverwrittenOptionsAllowed(true);

    RunnerUsage.describe(root);
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
          "no command given; expected one of "
              + Arrays.stream(Command.values())
                  .map(Command::cliName)
                  .collect(Collectors.joining(", "))
              + " (see --help)");
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
