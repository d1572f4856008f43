package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code <command> [options]}. Strict on purpose: an option the command does not take is
 * an error, so that a typo in a Job's args fails loudly instead of being ignored.
 */
public final class ArgsParser {
  private static final Set<String> FLAGS = Set.of("--json", "--help", "-h");
  private static final Set<String> VALUED =
      Set.of(
          "--target", "--to", "--version", "--url", "--user", "--password", "--location",
          "--report", "--lock-timeout", "--statement-timeout", "--connect-retries", "--schema",
          "--clear-failed");
  private static final Set<String> COMMON =
      Set.of(
          "--url", "--user", "--password", "--location", "--report", "--lock-timeout",
          "--statement-timeout", "--connect-retries", "--schema", "--help", "-h");
  private static final Map<Command, Set<String>> SPECIFIC =
      Map.of(
          Command.MIGRATE, Set.of("--target", "--clear-failed"),
          Command.UNDO, Set.of("--target"),
          Command.INFO, Set.of("--json"),
          Command.VALIDATE, Set.of(),
          Command.BASELINE, Set.of("--version"),
          Command.PLAN, Set.of("--target", "--json", "--clear-failed"),
          Command.PREVIEW, Set.of("--target"),
          Command.VERIFY_ROUNDTRIP, Set.of("--to"));
  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  private ArgsParser() {}

  public static CliOptions parse(List<String> args) {
    Map<String, String> values = new HashMap<>();
    Command command = null;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      if (FLAGS.contains(name) && inlineValue == null) {
        if (name.equals("--json")) {
          values.put(name, "true");
        } else {
          help = true;
        }
      } else if (VALUED.contains(name)) {
        String value = inlineValue;
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw invalid(name + " needs a value");
          }
          value = args.get(++i);
        }
        if (values.put(name, value) != null) {
          throw invalid(name + " given twice");
        }
      } else if (arg.startsWith("-")) {
        throw invalid("unknown option " + name + "; see --help");
      } else if (command == null) {
        String commandName = arg;
        command =
            Command.byName(arg)
                .orElseThrow(() -> invalid("unknown command '" + commandName + "'; see --help"));
      } else {
        throw invalid("unexpected argument '" + arg + "'");
      }
    }
    if (help) {
      return new CliOptions(command, true, null, null, null, false, null, null, null,
          CliOptions.DEFAULT_LOCATION, null, null, null, 0, CliOptions.DEFAULT_SCHEMA, null);
    }
    if (command == null) {
      throw invalid("no command given; expected one of migrate, undo, info, validate, baseline,"
          + " plan, preview, verify-roundtrip (see --help)");
    }
    for (String name : values.keySet()) {
      if (!COMMON.contains(name) && !SPECIFIC.get(command).contains(name)) {
        throw invalid(command.cliName() + " does not take " + name);
      }
    }
    if (command == Command.UNDO && !values.containsKey("--target")) {
      throw invalid("undo needs --target VERSION (0 for base)");
    }
    if (values.containsKey("--clear-failed") && !Revisions.isWellFormed(values.get("--clear-failed"))) {
      throw invalid("--clear-failed '" + values.get("--clear-failed") + "' is not a revision such as 3 or 2025.01.31.2");
    }
    if (command == Command.BASELINE && !values.containsKey("--version")) {
      throw invalid("baseline needs --version VERSION");
    }
    String schema = values.getOrDefault("--schema", CliOptions.DEFAULT_SCHEMA);
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw invalid("--schema '" + schema + "' is not a plain PostgreSQL identifier");
    }
    return new CliOptions(
        command,
        false,
        values.get("--target"),
        values.get("--to"),
        values.get("--version"),
        values.containsKey("--json"),
        values.get("--url"),
        values.get("--user"),
        values.get("--password"),
        values.containsKey("--location")
            ? Path.of(values.get("--location"))
            : CliOptions.DEFAULT_LOCATION,
        values.containsKey("--report") ? Path.of(values.get("--report")) : null,
        values.containsKey("--lock-timeout")
            ? PgDuration.parse("--lock-timeout", values.get("--lock-timeout"))
            : null,
        values.containsKey("--statement-timeout")
            ? PgDuration.parse("--statement-timeout", values.get("--statement-timeout"))
            : null,
        parseRetries(values.get("--connect-retries")),
        schema,
        values.get("--clear-failed"));
  }

  /**
   * Finds --report and the command name without validating anything else, so that even a usage
   * error can be written to the report file the operator reads.
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

  /** The command word, if the first non-option argument is one. */
  public static Command lenientCommand(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (VALUED.contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return Command.byName(arg).orElse(null);
      }
    }
    return null;
  }

  private static int parseRetries(String value) {
    if (value == null) {
      return CliOptions.DEFAULT_CONNECT_RETRIES;
    }
    if (!value.matches("\\d{1,3}")) {
      throw invalid("--connect-retries '" + value + "' is not a number between 0 and 999");
    }
    return Integer.parseInt(value);
  }

  private static RunnerException invalid(String message) {
    return new RunnerException(Reason.InvalidArgument, message);
  }
}
