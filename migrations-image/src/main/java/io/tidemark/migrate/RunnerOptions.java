package io.tidemark.migrate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * What the runner's command line accepts, declared once: the options every command takes ({@link
 * #root}) and each command with what it does and the options only it takes ({@link #commands}),
 * each option with its value's label, description and check ({@link OptionValues}). The --help text
 * ({@link RunnerUsage}) and the parsing ({@link RunnerCommandLine}) are both read from here.
 */
final class RunnerOptions {
  private RunnerOptions() {}

  /** The command line without a command: the options every command takes, and --help. */
  static CommandSpec root() {
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
    return root;
  }

  /** Each command, what it does, and the options only it takes. */
  static Map<Command, CommandSpec> commands() {
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
}
