package io.tidemark.migrate;

import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Applies an up plan with Flyway. Every migration runs in its own transaction (group=false), so
 * when one fails the database stays at the last good revision, which the failure reports.
 */
public final class Migrator {
  private final FlywayFactory flywayFactory;
  private final Console console;

  public Migrator(FlywayFactory flywayFactory, Console console) {
    this.flywayFactory = flywayFactory;
    this.console = console;
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
      throw new RunnerException(Reason.ValidationFailed, e.getMessage(), e);
    } catch (FlywayException e) {
      String failed = progress.failed();
      if (failed == null && e instanceof FlywayMigrateException migrateException
          && migrateException.getMigration() != null) {
        failed = Revisions.label(migrateException.getMigration().getVersion());
      }
      String current = Revisions.label(HistoryState.read(flywayFactory.create()).current());
      throw new MigrateFailedException(describe(e, failed, current), failed, current, e,
          List.copyOf(progress.applied()));
    }
    console.progress(progress.applied().size() + " revision(s) applied in "
        + Durations.since(started));
    return List.copyOf(progress.applied());
  }

  private static String describe(FlywayException e, String failed, String current) {
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
      message.append(failed == null ? "migration failed: " : "revision " + failed + " failed: ")
          .append(PostgresConnector.firstLine(e.getMessage()));
    }
    message.append("; the database is at revision ").append(current);
    return message.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof SQLException)) {
      t = t.getCause();
    }
    return PostgresConnector.firstLine(t.getMessage());
  }

  /** A migrate that stopped part-way; carries the revisions applied before the failure. */
  public static final class MigrateFailedException extends RunnerException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> applied;

    MigrateFailedException(
        String message, String failed, String current, Throwable cause, List<String> applied) {
      super(Reason.MigrationFailed, message, failed, current, cause);
      this.applied = applied;
    }

    public List<String> applied() {
      return applied;
    }
  }
}
