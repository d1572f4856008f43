package io.tidemark.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs undo scripts, newest first. Flyway's free edition has no undo, so this is Tidemark's: a
 * transactional U script runs in one transaction together with the deletion of its revision's
 * row from the history table, so the database is always at a revision the table names. A
 * non-transactional one (executeInTransaction=false, e.g. DROP INDEX CONCURRENTLY) runs statement
 * by statement and its row is deleted once it has succeeded.
 */
public final class UndoRunner {
  // Flyway's PostgreSQL advisory lock number: 77431708279161 + hash of the quoted table name.
  // Taking the same lock keeps an undo and a Flyway migrate from running at the same time.
  private static final long FLYWAY_LOCK_BASE = 77431708279161L;

  private final PostgresConnector connector;
  private final Console console;
  private final String schema;

  public UndoRunner(PostgresConnector connector, Console console, String schema) {
    this.connector = connector;
    this.console = console;
    this.schema = schema;
  }

  /**
   * Undoes every revision of a down plan whose undo scripts have all been checked to exist.
   * Returns the revisions undone; on failure throws MigrationFailed naming the failed revision
   * and the current one.
   */
  public List<String> undo(Plan plan) {
    if (plan.direction() != Plan.Direction.down) {
      return List.of();
    }
    List<String> undone = new ArrayList<>();
    long total = System.nanoTime();
    try (Connection connection = connector.open()) {
      long lockNumber = FLYWAY_LOCK_BASE + historyTable().hashCode();
      execute(connection, "SELECT pg_advisory_lock(" + lockNumber + ")");
      try {
        for (PlannedRevision step : plan.revisions()) {
          long started = System.nanoTime();
          console.progress("undoing " + step.revision() + " (" + step.description() + ", "
              + step.undoScript() + (step.transactional() ? ")" : ", non-transactional)"));
          try {
            undoOne(connection, step);
          } catch (SQLException e) {
            throw failure(step, e, undone);
          }
          undone.add(step.revision());
          console.progress(step.revision() + " undone in " + Durations.since(started));
        }
      } finally {
        releaseQuietly(connection, lockNumber);
      }
    } catch (SQLException e) {
      // Taking the lock failed (lock_timeout) or the connection was lost; nothing was undone
      // in the failing step.
      Reason reason =
          PostgresConnector.isConnectionLoss(e) ? Reason.ConnectionFailed : Reason.MigrationFailed;
      throw new RunnerException(
          reason, "undo failed: " + PostgresConnector.firstLine(e.getMessage()), null,
          Revisions.label(plan.current()), e);
    }
    console.progress(undone.size() + " revision(s) undone in " + Durations.since(total));
    return undone;
  }

  private void undoOne(Connection connection, PlannedRevision step) throws SQLException {
    List<String> statements = SqlScriptSplitter.split(step.script().sql());
    if (step.transactional()) {
      connection.setAutoCommit(false);
      try {
        for (String sql : statements) {
          execute(connection, sql);
        }
        deleteHistoryRow(connection, step.revision());
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } else {
      for (String sql : statements) {
        execute(connection, sql);
      }
      deleteHistoryRow(connection, step.revision());
    }
  }

  private static void releaseQuietly(Connection connection, long lockNumber) {
    try {
      execute(connection, "SELECT pg_advisory_unlock(" + lockNumber + ")");
    } catch (SQLException ignored) {
      // The lock is a session lock: closing the connection releases it anyway.
    }
  }

  private void deleteHistoryRow(Connection connection, String revision) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM " + historyTable() + " WHERE version = ?")) {
      delete.setString(1, revision);
      if (delete.executeUpdate() == 0) {
        throw new SQLException("no row for version " + revision + " in " + historyTable());
      }
    }
  }

  /** The history table as Flyway quotes it; the schema name was checked to be an identifier. */
  String historyTable() {
    return "\"" + schema + "\".\"" + CliOptions.HISTORY_TABLE + "\"";
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private RunnerException failure(PlannedRevision step, SQLException e, List<String> undone) {
    String partial = step.transactional()
        ? "it was rolled back"
        : "it is non-transactional, so statements before the failing one stay undone";
    String current = step.revision();
    return new UndoFailedException(
        step.undoScript() + " failed (SQLState " + e.getSQLState() + "): "
            + PostgresConnector.firstLine(e.getMessage()) + "; " + partial
            + "; the database is still at revision " + current,
        step.revision(), current, e, List.copyOf(undone));
  }

  /** An undo that stopped part-way; carries the revisions undone before the failure. */
  public static final class UndoFailedException extends RunnerException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> undone;

    UndoFailedException(
        String message, String failed, String current, Throwable cause, List<String> undone) {
      super(Reason.MigrationFailed, message, failed, current, cause);
      this.undone = undone;
    }

    public List<String> undone() {
      return undone;
    }
  }
}
