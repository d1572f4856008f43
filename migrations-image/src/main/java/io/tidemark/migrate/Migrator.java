package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Applies an up plan with Flyway. Every migration runs in its own transaction (group=false), so
 * when one fails the database stays at the last good revision, which the failure reports.
 */
public final class Migrator {
  private final FlywayFactory flywayFactory;
  private final MigrationScripts image;
  private final Console console;
  private final RevisionReader revisions;
  private final PostgresConnector connector;
  private final List<String> schemas;

  public Migrator(
      FlywayFactory flywayFactory,
      MigrationScripts image,
      Console console,
      PostgresConnector connector,
      List<String> schemas) {
    this.flywayFactory = flywayFactory;
    this.image = image;
    this.console = console;
    this.connector = connector;
    this.schemas = schemas;
    this.revisions = new RevisionReader(flywayFactory, connector, console);
  }

  /** Returns the revisions applied; throws MigrationFailed (carrying them) if one fails. */
  public List<String> migrate(Plan plan) {
    if (plan.direction() != Plan.Direction.up) {
      return List.of();
    }
    long started = System.nanoTime();
    ProgressCallback progress = new ProgressCallback(console);
    Flyway flyway = flywayFactory.create(plan.target(), progress);
    try {
      flyway.migrate();
    } catch (FlywayValidateException e) {
      // Flyway validates before it changes anything (validateOnMigrate): the backstop for what
      // the runner's own checks, run just before on the history already read, do not cover, or
      // for a change made in between. Nothing was applied; name the files as validate does.
      HistoryState now = HistoryState.read(flywayFactory.create());
      List<String> problems = Validator.problems(now, image, flywayFactory.create());
      String details =
          problems.isEmpty() ? validateDetails(e.getMessage()) : String.join("; ", problems);
      throw new RunnerException(
          Reason.ValidationFailed,
          "validation failed: " + details,
          null,
          Revisions.label(now.current()),
          e);
    } catch (FlywayException e) {
      if (MigrationLock.notAcquired(e)) {
        throw MigrationLock.held(
            flywayFactory.lockWaitSeconds(), Revisions.label(plan.current()), e);
      }
      String failed = progress.failed();
      if (failed == null
          && e instanceof FlywayMigrateException migrateException
          && migrateException.getMigration() != null) {
        failed = Revisions.label(migrateException.getMigration().getVersion());
      }
      // Read again on a fresh connection: the one the migration ran on may be gone, and only
      // the database knows which of this run's revisions committed.
      Optional<String> current = revisions.afterFailure();
      List<String> committed =
          current
              .map(
                  at ->
                      progress.applied().stream()
                          .filter(
                              r ->
                                  MigrationVersion.fromVersion(r)
                                          .compareTo(MigrationVersion.fromVersion(at))
                                      <= 0)
                          .toList())
              .orElse(List.copyOf(progress.applied()));
      String message = describe(e, plan, failed, current.orElse(null));
      Reason reason = Reason.MigrationFailed;
      Optional<ImageRevision> partial = revisionOf(failed);
      boolean failedRow = partial.isPresent() && current.isPresent() && failedRowOf(partial.get());
      if (partial.isPresent()
          && current.isPresent()
          && (failedRow || !partial.get().up().transactional())) {
        // Outside a transaction (its .conf says so, or Flyway ran it so, as for CREATE INDEX
        // CONCURRENTLY, and recorded its failure) nothing was rolled back: say what stayed and
        // how it is cleared.
        reason = Reason.RevisionFailedPartway;
        message =
            message
                + "; "
                + partial.get().up().fileName()
                + " runs outside a transaction, so what it did"
                + " before the failure stays; left behind: "
                + PartialRevision.leftBehind(
                    PartialRevision.invalidIndexes(connector, schemas),
                    failedRow ? partial.get().label() : null)
                + "; "
                + PartialRevision.wayOut(partial.get().label(), partial.get());
      }
      PartialChangeException failure =
          new PartialChangeException(reason, message, failed, current.orElse(null), e, committed);
      if (current.isEmpty()) {
        failure.currentUnknown();
      }
      throw failure;
    }
    console.progress(
        progress.applied().size() + " revision(s) applied in " + Durations.since(started));
    return List.copyOf(progress.applied());
  }

  /**
   * "V4__x.sql failed (SQLState 42P01, line 2): ERROR: ...; the database is at revision 3": the
   * file, where, PostgreSQL's own words, and where the database was left.
   */
  private static String describe(FlywayException e, Plan plan, String failed, String current) {
    StringBuilder message = new StringBuilder();
    if (e instanceof FlywayMigrateException m && m.getMigration() != null) {
      message.append(m.getMigration().getScript()).append(" failed");
      if (m.getSqlState() != null) {
        message.append(" (SQLState ").append(m.getSqlState());
        if (m.getLineNumber() > 0) {
          message.append(", line ").append(m.getLineNumber());
        }
        message.append(')');
      }
      message.append(": ").append(rootMessage(e));
    } else {
      String script =
          failed == null
              ? null
              : plan.revisions().stream()
                  .filter(r -> r.revision().equals(failed))
                  .map(PlannedRevision::upScript)
                  .findFirst()
                  .orElse("revision " + failed);
      message
          .append(script == null ? "" : script + " failed: ")
          .append(Messages.clause(e.getMessage()));
    }
    message.append("; ").append(Messages.atRevision(current));
    return message.toString();
  }

  /** The image revision whose script failed. */
  private Optional<ImageRevision> revisionOf(String failed) {
    if (failed == null || !Revisions.isWellFormed(failed)) {
      return Optional.empty();
    }
    return image.find(MigrationVersion.fromVersion(failed));
  }

  /**
   * Whether Flyway recorded the revision as failed: it does so only for a script run outside a
   * transaction.
   */
  private boolean failedRowOf(ImageRevision revision) {
    try {
      return HistoryState.read(flywayFactory.create()).failed().stream()
          .anyMatch(i -> i.getVersion().equals(revision.version()));
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  /** PostgreSQL's own words for a failure: the message of the SQLException under Flyway's. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof SQLException)) {
      t = t.getCause();
    }
    return Messages.clause(t.getMessage());
  }

  /** Flyway's validate message without its header line and its advertising. */
  private static String validateDetails(String text) {
    List<String> lines =
        text == null
            ? List.of()
            : text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("Validate failed"))
                .filter(l -> !l.startsWith("Need more flexibility"))
                .toList();
    return lines.isEmpty() ? Messages.clause(text) : String.join(" ", lines);
  }
}
