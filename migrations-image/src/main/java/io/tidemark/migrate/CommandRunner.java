package io.tidemark.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Runs one parsed command: reads the image, connects, checks the input against what the image
 * and the database have, and only then changes anything. Fills the report as it goes, so that
 * a failure still reports what was known (current, latest, server, digest).
 */
final class CommandRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CliOptions options;
  private final Map<String, String> env;
  private final Console console;
  private final Report report;
  private final PostgresConnector.Sleeper sleeper;

  private MigrationScripts image;
  private PostgresConnector connector;
  private FlywayFactory flywayFactory;

  CommandRunner(
      CliOptions options,
      Map<String, String> env,
      Console console,
      Report report,
      PostgresConnector.Sleeper sleeper) {
    this.options = options;
    this.env = env;
    this.console = console;
    this.report = report;
    this.sleeper = sleeper;
  }

  void run() {
    image = MigrationScripts.scan(options.location());
    report.digest = image.digest();
    report.latest = Revisions.label(image.latest());
    rejectMalformedRevisions();

    SessionSettings session = new SessionSettings(options.lockTimeout(), options.statementTimeout());
    ConnectionSettings settings = ConnectionSettings.from(options, env);
    connector = new PostgresConnector(settings, session, options.connectRetries(), console, sleeper);
    report.server = connector.checkReachable();
    flywayFactory = new FlywayFactory(connector, image, session, options.schema());
    if (plansAgainstHistory(options.command())) {
      // Before reading the history: without one the database's revision is unknown, so the
      // report leaves current out rather than claiming base.
      BaselineCheck.requireHistoryOrEmptySchema(connector, options.schema());
    }
    HistoryState history = HistoryState.read(flywayFactory.create());
    report.current = Revisions.label(history.current());

    switch (options.command()) {
      case MIGRATE -> migrate(history);
      case UNDO -> undo(history);
      case INFO -> info(history);
      case VALIDATE -> validate(history);
      case BASELINE -> baseline(history);
      case PLAN -> plan(history);
      case PREVIEW -> preview(history);
      case VERIFY_ROUNDTRIP -> verifyRoundTrip();
    }
    report.succeed();
  }

  /**
   * The commands that would run (or plan) Flyway's migrate from the history table, and so must
   * not take a non-empty schema without history for base. info, validate and baseline look at
   * such a database without changing it; baseline is how it is adopted.
   */
  private static boolean plansAgainstHistory(Command command) {
    return switch (command) {
      case MIGRATE, UNDO, PLAN, PREVIEW, VERIFY_ROUNDTRIP -> true;
      case INFO, VALIDATE, BASELINE -> false;
    };
  }

  /** A malformed revision is refused before connecting: nothing to look up, nothing touched. */
  private void rejectMalformedRevisions() {
    for (String raw : new String[] {options.target(), options.to()}) {
      if (raw != null && !raw.equals(Revisions.LATEST) && !raw.equals(Revisions.BASE)) {
        Revisions.parseVersion(raw, "target", image);
      }
    }
    if (options.version() != null) {
      Revisions.parseVersion(options.version(), "version", image);
    }
  }

  private void migrate(HistoryState history) {
    Validator.requireValid(history, image, flywayFactory.create());
    Plan plan = plan(history, options.target());
    if (plan.direction() == Plan.Direction.down) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "target " + report.target + " is below the current revision " + report.current
              + "; migrate only goes up: use undo --target " + report.target);
    }
    List<String> applied;
    try {
      applied = new Migrator(flywayFactory, console).migrate(plan);
    } catch (Migrator.MigrateFailedException e) {
      report.revisions(e.applied(), undoMissing(e.applied()));
      throw e;
    }
    report.revisions(applied, undoMissing(applied));
    report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    console.out(applied.isEmpty()
        ? "Already at revision " + report.current + "; nothing to migrate."
        : "Migrated from " + Revisions.label(plan.current()) + " to " + report.current
            + ": applied " + String.join(", ", applied) + ".");
  }

  private void undo(HistoryState history) {
    Validator.requireValid(history, image, flywayFactory.create(), true);
    Plan plan = plan(history, options.target());
    if (plan.direction() == Plan.Direction.up) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "target " + report.target + " is above the current revision " + report.current
              + "; undo only goes down: use migrate --target " + report.target);
    }
    report.revisions(plan.labels(), plan.undoMissing());
    requireUndoScripts(plan);
    List<String> undone;
    try {
      undone = new UndoRunner(connector, console, options.schema()).undo(plan);
    } catch (UndoRunner.UndoFailedException e) {
      report.revisions(e.undone(), List.of());
      throw e;
    }
    report.revisions(undone, List.of());
    report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    console.out(undone.isEmpty()
        ? "Already at revision " + report.current + "; nothing to undo."
        : "Undone from " + Revisions.label(plan.current()) + " to " + report.current
            + ": undid " + String.join(", ", undone) + ".");
  }

  private void info(HistoryState history) {
    List<String> pending =
        history.pending().stream().map(i -> Revisions.label(i.getVersion())).toList();
    report.revisions(pending, undoMissing(pending));
    console.out(options.json()
        ? InfoPrinter.json(history, image, JSON)
        : InfoPrinter.text(history, image));
  }

  private void validate(HistoryState history) {
    Validator.requireValid(history, image, flywayFactory.create());
    console.out("Valid: " + history.appliedMigrations().size() + " applied revision(s) match "
        + image.location() + " (current " + report.current + ", latest " + report.latest + ").");
  }

  private void baseline(HistoryState history) {
    MigrationVersion version = Revisions.parseVersion(options.version(), "version", image);
    if (image.find(version).isEmpty()) {
      throw new RunnerException(
          Reason.UnknownRevision,
          "unknown revision '" + options.version() + "': the migrations image has "
              + Revisions.available(image));
    }
    report.target = Revisions.label(version);
    if (history.current() != null) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "the database already has a migration history (current revision " + report.current
              + "); baseline adopts a database that has none");
    }
    flywayFactory.forBaseline(version).baseline();
    report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    console.out("Baselined at revision " + report.current + ": revisions up to it are taken as"
        + " applied; migrate applies the later ones.");
  }

  private void plan(HistoryState history) {
    Plan plan = plan(history, options.target());
    report.revisions(plan.labels(), plan.undoMissing());
    console.out(options.json()
        ? PlanPrinter.json(plan, report.server, report.digest, JSON)
        : PlanPrinter.text(plan, report.server, report.digest));
    // Reported after the plan, so that a drifted database still shows where it stands.
    Validator.requireValid(history, image, flywayFactory.create());
  }

  private void preview(HistoryState history) {
    Validator.requireValid(history, image, flywayFactory.create());
    Plan plan = plan(history, options.target());
    report.revisions(plan.labels(), plan.undoMissing());
    console.out(PreviewPrinter.render(plan, historyTable()));
    if (plan.direction() == Plan.Direction.down) {
      requireUndoScripts(plan);
    }
  }

  private void verifyRoundTrip() {
    Flyway flyway = flywayFactory.create();
    HistoryState history = HistoryState.read(flyway);
    MigrationVersion to =
        options.to() == null ? null : Revisions.resolveTarget(options.to(), image, history.baseline());
    report.target = Revisions.label(to);
    RoundTrip.Result result =
        new RoundTrip(image, flywayFactory, connector, console, options.schema()).run(to);
    report.revisions(result.revisions(), List.of());
    report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    if (!result.differences().isEmpty()) {
      result.differences().forEach(d -> console.out("DIFF " + d));
      throw new RunnerException(
          Reason.RoundTripMismatch,
          result.differences().size() + " catalog difference(s) after the round trip to "
              + report.target + ": " + String.join("; ", result.differences()));
    }
    console.out("Round trip clean: migrated to " + report.latest + ", undid to " + report.target
        + ", migrated again; the catalog is identical (" + result.revisions().size()
        + " revision(s) cycled).");
  }

  /** Resolves the target and plans; records target and direction in the report. */
  private Plan plan(HistoryState history, String rawTarget) {
    MigrationVersion target = Revisions.resolveTarget(rawTarget, image, history.baseline());
    report.target = Revisions.label(target);
    Plan plan = Planner.plan(image, history, target);
    report.direction = plan.direction().name();
    return plan;
  }

  private void requireUndoScripts(Plan plan) {
    List<String> missing = plan.undoMissing();
    if (!missing.isEmpty()) {
      throw new RunnerException(
          Reason.UndoScriptMissing,
          "no undo script for revision(s) " + String.join(", ", missing) + " (expected "
              + String.join(", ", missing.stream().map(r -> "U" + r + "__*.sql").toList())
              + " in " + image.location() + "); nothing was changed");
    }
  }

  private List<String> undoMissing(List<String> revisions) {
    return revisions.stream()
        .filter(r -> !image.find(MigrationVersion.fromVersion(r))
            .map(ImageRevision::hasUndo).orElse(false))
        .toList();
  }

  private String historyTable() {
    return "\"" + options.schema() + "\".\"" + CliOptions.HISTORY_TABLE + "\"";
  }
}
