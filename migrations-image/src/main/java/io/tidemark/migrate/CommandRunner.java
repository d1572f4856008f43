package io.tidemark.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.report.Reason;
import io.tidemark.report.Report;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Runs one parsed command: reads the image, connects, checks the input against what the image and
 * the database have, and only then changes anything. Fills the report as it goes, so that a failure
 * still reports what was known (current, latest, server, digest).
 */
final class CommandRunner {
  /** Created on first use: only info --json and plan --json need Jackson (373 classes). */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** Where the scripts come from when not from the image, as the operator says (ConfigMap X). */
  static final String MIGRATIONS_SOURCE = "TIDEMARK_MIGRATIONS_SOURCE";

  private final CliOptions options;
  private final Map<String, String> env;
  private final Console console;
  private final Report report;
  private final PostgresConnector.Sleeper sleeper;

  private MigrationScripts image;
  private PostgresConnector connector;
  private FlywayFactory flywayFactory;
  private ConnectionSettings settings;
  private SessionSettings session;
  private MigrationVersion adoptAt;

  /** Whether the schema has Flyway's history table, as the catalog said before anything ran. */
  private boolean historyTable;

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
    if (options.command() == Command.WAIT) {
      WaitCommand.run(options, env, console, report, sleeper);
      report.succeed();
      return;
    }
    image = MigrationScripts.scan(options.location(), env.get(MIGRATIONS_SOURCE));
    report.digest = image.digest();
    report.latest = Revisions.label(image.latest());
    rejectMalformedRevisions();

    session = new SessionSettings(options.lockTimeout(), options.statementTimeout());
    settings = ConnectionSettings.from(options, env);
    connector =
        new PostgresConnector(settings, session, options.connectRetries(), console, sleeper);
    report.server = connector.checkReachable();
    flywayFactory = new FlywayFactory(connector, image, session, options.schemas());
    if (plansAgainstHistory(options.command())) {
      // Before reading the history: without one the database's revision is unknown, so the
      // report leaves current out rather than claiming base.
      BaselineCheck.Found found = BaselineCheck.inspect(connector, options.schemas());
      historyTable = found.history();
      if (found.needsBaseline()) {
        adoptAt =
            adoptionRevision()
                .orElseThrow(
                    () -> BaselineCheck.refusal(String.join(", ", options.schemas()), found));
      }
    }
    HistoryState history = HistoryState.read(flywayFactory.create());
    if (adoptAt != null) {
      // The plan and the migrate go from the revision the schema is adopted at; the migrate's
      // Flyway baselines it first (baselineOnMigrate), under its lock, only while there is no
      // history table.
      history = history.adoptedAt(adoptAt);
      flywayFactory = flywayFactory.adoptingAt(adoptAt);
      report.baseline = Revisions.label(adoptAt);
    }
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
      case CHANGE -> change(history);
      case WAIT -> throw new IllegalStateException("wait is run before the image is read");
    }
    report.succeed();
  }

  /**
   * The commands that would run (or plan) Flyway's migrate from the history table, and so must not
   * take a non-empty schema without history for base. info, validate and baseline look at such a
   * database without changing it; baseline is how it is adopted.
   */
  private static boolean plansAgainstHistory(Command command) {
    return switch (command) {
      case MIGRATE, UNDO, PLAN, PREVIEW, VERIFY_ROUNDTRIP, CHANGE -> true;
      case INFO, VALIDATE, BASELINE, WAIT -> false;
    };
  }

  /**
   * --baseline-at, for plan and migrate: the revision a schema without history is adopted at. It
   * must be a revision of the image.
   */
  private Optional<MigrationVersion> adoptionRevision() {
    if (options.baselineAt() == null
        || (options.command() != Command.PLAN
            && options.command() != Command.MIGRATE
            && options.command() != Command.CHANGE)) {
      return Optional.empty();
    }
    MigrationVersion version = Revisions.parseVersion(options.baselineAt(), "baseline", image);
    if (image.find(version).isEmpty()) {
      throw new RunnerException(
          Reason.UnknownRevision,
          "cannot adopt the schema at revision '"
              + options.baselineAt()
              + "': the migrations image has "
              + Revisions.available(image)
              + "; nothing was changed");
    }
    return Optional.of(version);
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
    // One validation before any change, without a second scan of the chain: the runner's own
    // checks (each problem names the file) on the history just read, then Flyway's validation,
    // which its migrate runs before changing anything (validateOnMigrate) on the scan it needs
    // anyway. When Flyway's migrate will not run, its validation runs here instead.
    List<String> invalidIndexes = PartialRevision.invalidIndexes(connector, options.schemas());
    Optional<ImageRevision> clearing =
        PartialRevision.toClear(history, image, options.clearFailed(), invalidIndexes);
    Validator.requireValid(history, image, null, clearing.isPresent());
    Plan plan = plan(history, options.target());
    if (plan.direction() != Plan.Direction.up) {
      Validator.requireValid(history, image, flywayFactory.create(), clearing.isPresent());
    }
    migrate(history, new CheckedPlan(plan, invalidIndexes, clearing));
  }

  /** Migrates as {@code checked} plans it, the checks done. */
  private void migrate(HistoryState history, CheckedPlan checked) {
    Plan plan = checked.plan();
    Optional<ImageRevision> clearing = checked.clearing();
    if (plan.direction() == Plan.Direction.down) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "target "
              + report.target
              + " is below the current revision "
              + report.current
              + "; migrate only goes up: use undo --target "
              + report.target);
    }
    if (clearing.isPresent() && plan.direction() == Plan.Direction.up) {
      clear(clearing.get(), checked.invalidIndexes(), history);
    }
    if (report.baseline != null && plan.direction() != Plan.Direction.up) {
      // Nothing to apply above the adopted revision: Flyway's migrate would not run, so the
      // baseline is written on its own.
      flywayFactory.forBaseline(plan.current()).baseline();
      console.out("Adopted the existing schema at revision " + report.baseline + " (baseline).");
    } else if (report.baseline != null) {
      console.progress(
          "adopting the existing schema at revision " + report.baseline + " (baseline) first");
    }
    List<String> applied;
    try {
      applied =
          new Migrator(flywayFactory, image, console, connector, options.schemas()).migrate(plan);
    } catch (PartialChangeException e) {
      report.revisions(e.done(), undoMissing(e.done()));
      throw e;
    }
    report.revisions(applied, undoMissing(applied));
    // Flyway applies in version order and stops at the first failure, so after a successful
    // run the last revision applied is the current one; with nothing to apply the database is
    // where the history said. The history is read again (a full scan of the chain) only when
    // there was something to apply but this run applied nothing (another run got there first).
    if (!applied.isEmpty()) {
      report.current = applied.get(applied.size() - 1);
    } else if (plan.direction() == Plan.Direction.up) {
      report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    }
    console.out(
        applied.isEmpty()
            ? "Already at revision " + report.current + "; nothing to migrate."
            : "Migrated from "
                + Revisions.label(plan.current())
                + " to "
                + report.current
                + ": applied "
                + summary(applied)
                + ".");
  }

  /**
   * change: the plan (validated as migrate and undo validate) and the checks the operator asked
   * for, then the backup and the migrate or undo, stage by stage ({@link ChangeStages}).
   */
  private void change(HistoryState history) {
    CliOptions.ChangeOptions checks = options.change();
    report.from = report.current;
    DumpBackup backup =
        checks.backsUp()
            ? new DumpBackup(
                Path.of(checks.backupDir()),
                checks.backupPrefix(),
                checks.backupKeep(),
                checks.backupProtect(),
                settings.libpqEnvironment(),
                console,
                DumpBackup.HOST)
            : null;
    try {
      new ChangeStages(report, console)
          .run(
              () -> {
                Plan plan = plan(history, options.target());
                report.revisions(plan.labels(), plan.undoMissing());
                List<String> invalid = PartialRevision.invalidIndexes(connector, options.schemas());
                Optional<ImageRevision> clearing =
                    PartialRevision.toClear(history, image, options.clearFailed(), invalid);
                // Flyway's own validation runs in its migrate anyway: here only when it will not.
                Validator.requireValid(
                    history,
                    image,
                    plan.direction() == Plan.Direction.up ? null : flywayFactory.create(),
                    clearing.isPresent());
                ChangeChecks.require(plan, checks, report.digest, image.location().toString());
                return new CheckedPlan(plan, invalid, clearing);
              },
              backup == null
                  ? null
                  : () ->
                      backup.take(
                          Instant.now(),
                          report.current == null ? "0" : report.current,
                          report.server),
              // The plan stage checked it all: the change does not query and validate again.
              checked -> migrate(history, checked),
              checked -> undo(checked.plan()));
    } finally {
      // Once the change is over (the report then names the new dump, whatever the change did),
      // never before: a runner killed during it leaves the dump the status names where it was.
      if (backup != null && report.file != null) {
        backup.pruneOlderThan(report.file);
      }
    }
  }

  /**
   * The revisions of a run for the one-line summary: all of them up to {@value #SUMMARY_ALL}, else
   * the first and last {@value #SUMMARY_ENDS} and the count ("1, 2, 3, ..., 498, 499, 500 (500
   * revisions)"). The report's revisions and info/plan --json have the full list.
   */
  static String summary(List<String> revisions) {
    if (revisions.size() <= SUMMARY_ALL) {
      return String.join(", ", revisions);
    }
    return String.join(", ", revisions.subList(0, SUMMARY_ENDS))
        + ", ..., "
        + String.join(", ", revisions.subList(revisions.size() - SUMMARY_ENDS, revisions.size()))
        + " ("
        + revisions.size()
        + " revisions)";
  }

  private static final int SUMMARY_ALL = 10;
  private static final int SUMMARY_ENDS = 3;

  private void undo(HistoryState history) {
    Validator.requireValid(history, image, flywayFactory.create(), true);
    undo(plan(history, options.target()));
  }

  /** Undoes as {@code plan} says, the chain validated. */
  private void undo(Plan plan) {
    if (plan.direction() == Plan.Direction.up) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "target "
              + report.target
              + " is above the current revision "
              + report.current
              + "; undo only goes down: use migrate --target "
              + report.target);
    }
    report.revisions(plan.labels(), plan.undoMissing());
    requireUndoScripts(plan);
    List<String> undone;
    try {
      undone =
          new UndoRunner(
                  connector,
                  console,
                  options.schema(),
                  new RevisionReader(flywayFactory, connector, console))
              .undo(plan);
    } catch (PartialChangeException e) {
      report.revisions(e.done(), List.of());
      throw e;
    }
    report.revisions(undone, List.of());
    report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    console.out(
        undone.isEmpty()
            ? "Already at revision " + report.current + "; nothing to undo."
            : "Undone from "
                + Revisions.label(plan.current())
                + " to "
                + report.current
                + ": undid "
                + summary(undone)
                + ".");
  }

  private void info(HistoryState history) {
    List<String> pending =
        history.pending().stream().map(i -> Revisions.label(i.getVersion())).toList();
    report.revisions(pending, undoMissing(pending));
    console.out(
        options.json()
            ? InfoPrinter.json(history, image, Json.MAPPER)
            : InfoPrinter.text(history, image));
  }

  private void validate(HistoryState history) {
    Validator.requireValid(history, image, flywayFactory.create());
    console.out(
        "Valid: "
            + history.appliedMigrations().size()
            + " applied revision(s) match "
            + image.location()
            + " (current "
            + report.current
            + ", latest "
            + report.latest
            + ").");
  }

  private void baseline(HistoryState history) {
    MigrationVersion version = Revisions.parseVersion(options.version(), "version", image);
    if (image.find(version).isEmpty()) {
      throw new RunnerException(
          Reason.UnknownRevision,
          "unknown revision '"
              + options.version()
              + "': the migrations image has "
              + Revisions.available(image));
    }
    report.target = Revisions.label(version);
    if (history.current() != null) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "the database already has a migration history (current revision "
              + report.current
              + "); baseline adopts a database that has none");
    }
    flywayFactory.forBaseline(version).baseline();
    report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    console.out(
        "Baselined at revision "
            + report.current
            + ": revisions up to it are taken as"
            + " applied; migrate applies the later ones.");
  }

  private void plan(HistoryState history) {
    Plan plan = plan(history, options.target());
    report.revisions(plan.labels(), plan.undoMissing());
    List<String> invalidIndexes = PartialRevision.invalidIndexes(connector, options.schemas());
    // A drifted or part-way-failed database still gets its plan shown; the refusal comes after.
    Optional<ImageRevision> clearing = Optional.empty();
    RunnerException invalid = null;
    try {
      clearing = PartialRevision.toClear(history, image, options.clearFailed(), invalidIndexes);
      Validator.requireValid(history, image, flywayFactory.create(), clearing.isPresent());
    } catch (RunnerException e) {
      invalid = e;
    }
    Rehearsal.Outcome rehearsal = null;
    RunnerException rehearsalFailed = null;
    if (options.rehearse() && invalid == null && clearing.isPresent()) {
      // The copy would carry the failed row and stop on it: the way out is not rehearsed.
      rehearsal =
          Rehearsal.Outcome.skipped(
              "the plan first clears revision "
                  + clearing.get().label()
                  + ", which failed part-way; a rehearsal starts from a clean history");
      report.rehearsal = rehearsal.forReport();
    } else if (options.rehearse() && invalid == null) {
      try {
        rehearsal =
            new Rehearsal(settings, session, image, options.schemas(), console, connector, sleeper)
                .run(plan, adoptAt, historyTable);
        report.rehearsal = rehearsal.forReport();
      } catch (RunnerException e) {
        rehearsalFailed = e;
      }
    }
    console.out(
        options.json()
            ? PlanPrinter.json(
                plan, report.server, report.digest, invalidIndexes, rehearsal, Json.MAPPER)
            : PlanPrinter.text(plan, report.server, report.digest, invalidIndexes)
                + (rehearsal == null ? "" : "\n" + PlanPrinter.rehearsal(rehearsal)));
    if (report.baseline != null && !options.json()) {
      console.out(
          "The schema has objects but no history: migrate adopts it at revision "
              + report.baseline
              + " (baseline) first, taking revisions up to it as applied.");
    }
    // Reported after the plan, so that a drifted database still shows where it stands.
    clearing.ifPresent(
        r ->
            console.out(
                "Clears revision "
                    + r.label()
                    + " first: runs "
                    + r.undo().fileName()
                    + " and removes its failed row, if any; then migrates."));
    if (invalid != null) {
      throw invalid;
    }
    if (rehearsalFailed != null) {
      throw rehearsalFailed;
    }
  }

  /**
   * Clears a revision that failed part-way: its undo script runs (under the migration lock), its
   * failed row goes, and the migration that follows runs the revision again.
   */
  private void clear(ImageRevision revision, List<String> invalidIndexes, HistoryState history) {
    console.progress(
        "clearing revision "
            + revision.label()
            + " (left behind: "
            + PartialRevision.leftBehind(
                invalidIndexes, history.failed().isEmpty() ? null : revision.label())
            + "): running "
            + revision.undo().fileName());
    new UndoRunner(
            connector,
            console,
            options.schema(),
            new RevisionReader(flywayFactory, connector, console))
        .clear(PartialRevision.undoStep(revision), Revisions.label(history.current()));
    console.progress("revision " + revision.label() + " cleared");
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
        options.to() == null
            ? null
            : Revisions.resolveTarget(options.to(), image, history.baseline());
    report.target = Revisions.label(to);
    RoundTrip.Result result =
        new RoundTrip(image, flywayFactory, connector, console, options.schema()).run(to);
    report.revisions(result.revisions(), List.of());
    report.current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
    if (!result.differences().isEmpty()) {
      result.differences().forEach(d -> console.out("DIFF " + d));
      throw new RunnerException(
          Reason.RoundTripMismatch,
          result.differences().size()
              + " catalog difference(s) after the round trip to "
              + report.target
              + ": "
              + String.join("; ", result.differences()));
    }
    console.out(
        "Round trip clean: migrated to "
            + report.latest
            + ", undid to "
            + report.target
            + ", migrated again; the catalog is identical ("
            + result.revisions().size()
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
          "no undo script for revision(s) "
              + String.join(", ", missing)
              + " (expected "
              + String.join(", ", missing.stream().map(r -> "U" + r + "__*.sql").toList())
              + " in "
              + image.location()
              + "); nothing was changed");
    }
  }

  private List<String> undoMissing(List<String> revisions) {
    return revisions.stream()
        .filter(
            r ->
                !image
                    .find(MigrationVersion.fromVersion(r))
                    .map(ImageRevision::hasUndo)
                    .orElse(false))
        .toList();
  }

  private String historyTable() {
    return "\"" + options.schema() + "\".\"" + CliOptions.HISTORY_TABLE + "\"";
  }

  /**
   * A plan and what was checked before it may run: the invalid indexes found, the revision that
   * failed part-way to clear first (--clear-failed), the chain validated.
   */
  record CheckedPlan(Plan plan, List<String> invalidIndexes, Optional<ImageRevision> clearing) {}
}
