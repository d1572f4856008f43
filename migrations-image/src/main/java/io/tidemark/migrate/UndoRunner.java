package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs undo scripts, newest first. Flyway's free edition has no undo, so this is Tidemark's: a
 * transactional U script runs in one transaction together with the deletion of its revision's row
 * from the history table, so the database is always at a revision the table names. A
 * non-transactional one (executeInTransaction=false, e.g. DROP INDEX CONCURRENTLY) runs statement
 * by statement and its row is deleted once it has succeeded.
 */
public final class UndoRunner {
  // Taking Flyway's own migration lock (MigrationLock) keeps an undo and a migrate apart.

  private final PostgresConnector connector;
  private final Console console;
  private final String schema;
  private final RevisionReader revisions;

  public UndoRunner(PostgresConnector connector, Console console, String schema) {
    this(connector, console, schema, null);
  }

  /**
   * With {@code revisions}, a lost connection is followed by a fresh read of where the database is.
   */
  UndoRunner(
      PostgresConnector connector, Console console, String schema, RevisionReader revisions) {
    this.connector = connector;
    this.console = console;
    this.schema = schema;
    this.revisions = revisions;
  }

  /**
   * Undoes every revision of a down plan whose undo scripts have all been checked to exist. Returns
   * the revisions undone; on failure throws MigrationFailed naming the failed revision and the
   * current one.
   */
  public List<String> undo(Plan plan) {
    if (plan.direction() != Plan.Direction.down) {
      return List.of();
    }
    List<String> undone = new ArrayList<>();
    long total = System.nanoTime();
    try (Connection connection = openInSchema()) {
      long lockNumber;
      try {
        lockNumber = lock(connection, Revisions.label(plan.current()));
      } catch (SQLException e) {
        throw new PartialChangeException(
            reasonFor(e),
            "cannot take the migration lock on "
                + historyTable()
                + " (is a migrate or undo"
                + " running?): "
                + Messages.clause(e.getMessage())
                + "; nothing was undone; "
                + Messages.atRevision(Revisions.label(plan.current())),
            null,
            Revisions.label(plan.current()),
            e,
            List.of());
      }
      try {
        for (PlannedRevision step : plan.revisions()) {
          long started = System.nanoTime();
          console.progress(
              "undoing "
                  + step.revision()
                  + " ("
                  + step.description()
                  + ", "
                  + step.undoScript()
                  + (step.transactional() ? ")" : ", non-transactional)"));
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
      // Closing the session failed after the steps above ended; what they did is committed.
      String current = readOr(e, currentAfter(plan, undone.size()));
      PartialChangeException failure =
          new PartialChangeException(
              reasonFor(e),
              Messages.clause(e.getMessage()) + "; " + Messages.atRevision(current),
              null,
              current,
              e,
              List.copyOf(undone));
      throw current == null ? (PartialChangeException) failure.currentUnknown() : failure;
    }
    console.progress(undone.size() + " revision(s) undone in " + Durations.since(total));
    return undone;
  }

  /**
   * Clears a revision that failed part-way before it runs again: its undo script runs under the
   * migration lock, then its failed history row (if Flyway wrote one) is removed. {@code current}
   * is the revision the database is at, which clearing does not change.
   */
  public void clear(PlannedRevision step, String current) {
    try (Connection connection = openInSchema()) {
      long lockNumber = lock(connection, current);
      try {
        runUndo(connection, step, false);
      } catch (SQLException e) {
        SQLException cause = StatementFailedException.sqlCause(e);
        throw new RunnerException(
            reasonFor(cause),
            scriptFailed(step, " while clearing revision " + step.revision(), e)
                + "; the revision is not cleared and nothing was migrated; "
                + Messages.atRevision(current),
            step.revision(),
            current,
            cause);
      } finally {
        releaseQuietly(connection, lockNumber);
      }
    } catch (SQLException e) {
      throw new RunnerException(
          reasonFor(e),
          "clearing revision "
              + step.revision()
              + ": "
              + Messages.clause(e.getMessage())
              + "; "
              + Messages.atRevision(current),
          step.revision(),
          current,
          e);
    }
  }

  /**
   * Takes the migration lock (waiting at most the lock timeout: {@link MigrationLock#held} when
   * another migrate or undo holds it; {@code current} is where the database stays); its number.
   */
  private long lock(Connection connection, String current) throws SQLException {
    long lockNumber = MigrationLock.number(historyTable());
    try {
      execute(connection, "SELECT pg_advisory_lock(" + lockNumber + ")");
    } catch (SQLException e) {
      if (MigrationLock.timedOut(e)) {
        throw MigrationLock.held(-1, current, e);
      }
      throw e;
    }
    return lockNumber;
  }

  private static Reason reasonFor(SQLException e) {
    return PostgresConnector.isConnectionLoss(e) ? Reason.ConnectionFailed : Reason.MigrationFailed;
  }

  /** The revision the database is at once the first {@code undone} steps of the plan are undone. */
  private static String currentAfter(Plan plan, int undone) {
    return undone < plan.revisions().size()
        ? plan.revisions().get(undone).revision()
        : Revisions.label(plan.target());
  }

  /** A statement of a U script that failed, with the line of the script it starts on. */
  static final class StatementFailedException extends SQLException {
    private static final long serialVersionUID = 1L;
    private final int line;

    StatementFailedException(SQLException cause, int line) {
      super(cause.getMessage(), cause.getSQLState(), cause);
      this.line = line;
    }

    int line() {
      return line;
    }

    /** PostgreSQL's own exception behind {@code e}. */
    static SQLException sqlCause(SQLException e) {
      return e instanceof StatementFailedException && e.getCause() instanceof SQLException s
          ? s
          : e;
    }
  }

  /**
   * "{@code U3__x.sql} failed{@code during} (SQLState ..., line ...): PostgreSQL's message", for an
   * undo script that failed with {@code e}.
   */
  private static String scriptFailed(PlannedRevision step, String during, SQLException e) {
    int line = e instanceof StatementFailedException failed ? failed.line() : 0;
    SQLException cause = StatementFailedException.sqlCause(e);
    return step.undoScript()
        + " failed"
        + during
        + " (SQLState "
        + cause.getSQLState()
        + (line > 0 ? ", line " + line : "")
        + "): "
        + Messages.clause(cause.getMessage());
  }

  private void undoOne(Connection connection, PlannedRevision step) throws SQLException {
    runUndo(connection, step, true);
  }

  /**
   * Runs an undo script and removes its revision's row; {@code rowRequired}: the row must be there.
   */
  private void runUndo(Connection connection, PlannedRevision step, boolean rowRequired)
      throws SQLException {
    String script = step.script().sql();
    List<String> statements = SqlScriptSplitter.split(script);
    // Set again before every script: an earlier script's RESET ALL or SET must not lift the limits.
    connector.session().apply(connection);
    if (step.transactional()) {
      connection.setAutoCommit(false);
      try {
        executeAll(connection, script, statements);
        deleteHistoryRow(connection, step.revision(), rowRequired);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } else {
      executeAll(connection, script, statements);
      deleteHistoryRow(connection, step.revision(), rowRequired);
    }
  }

  /** Runs the statements in order; a failure carries the line its statement starts on. */
  private static void executeAll(Connection connection, String script, List<String> statements)
      throws SQLException {
    int from = 0;
    for (String sql : statements) {
      // The splitter returns each statement as it is in the script, only stripped.
      int at = script.indexOf(sql, from);
      if (at >= 0) {
        from = at + sql.length();
      }
      try {
        execute(connection, sql);
      } catch (SQLException e) {
        throw new StatementFailedException(e, at < 0 ? 0 : lineOf(script, at));
      }
    }
  }

  private static int lineOf(String script, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (script.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static void releaseQuietly(Connection connection, long lockNumber) {
    try {
      execute(connection, "SELECT pg_advisory_unlock(" + lockNumber + ")");
    } catch (SQLException ignored) {
      // The lock is a session lock: closing the connection releases it anyway.
    }
  }

  private void deleteHistoryRow(Connection connection, String revision, boolean rowRequired)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM " + historyTable() + " WHERE version = ?")) {
      delete.setString(1, revision);
      if (delete.executeUpdate() == 0 && rowRequired) {
        throw new SQLException("no row for version " + revision + " in " + historyTable());
      }
    }
  }

  /**
   * A session whose search_path starts with the managed schema, as Flyway's migrate sets it for the
   * V scripts, so that an undo script finds what its V script made without naming the schema.
   */
  private Connection openInSchema() throws SQLException {
    Connection connection = connector.open();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT set_config('search_path', quote_ident(?) || ', ' ||"
                + " current_setting('search_path'), false)"
                + " WHERE NOT (current_setting('search_path') = ? OR"
                + " current_setting('search_path') LIKE ? || ',%')")) {
      statement.setString(1, schema);
      statement.setString(2, schema);
      statement.setString(3, schema);
      statement.execute();
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
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
    String partial =
        step.transactional()
            ? "it was rolled back"
            : "it is non-transactional, so statements before the failing one stay undone";
    SQLException cause = StatementFailedException.sqlCause(e);
    // When the connection is lost, the server decides what committed: read it, don't assume.
    String current = readOr(cause, step.revision());
    if (current == null || !current.equals(step.revision())) {
      partial =
          current == null
              ? "the connection was lost"
              : "the connection was lost after it committed";
    }
    PartialChangeException failure =
        new PartialChangeException(
            Reason.MigrationFailed,
            scriptFailed(step, "", e) + "; " + partial + "; " + Messages.atRevision(current),
            step.revision(),
            current,
            cause,
            List.copyOf(undone));
    return current == null ? (PartialChangeException) failure.currentUnknown() : failure;
  }

  /**
   * After a lost connection, the revision read on a fresh one (null when unreadable); else {@code
   * known}.
   */
  private String readOr(SQLException e, String known) {
    if (revisions == null || !PostgresConnector.isConnectionLoss(e)) {
      return known;
    }
    return revisions.afterFailure().orElse(null);
  }
}
