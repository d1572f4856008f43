package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.sql.SQLException;

/**
 * The migration lock: the PostgreSQL advisory lock Flyway takes for a migrate, which the undo
 * runner takes too, so that two runs never change one schema at the same time. When another session
 * holds it (a run in progress elsewhere, or the session of a runner that was killed and whose
 * connection the server has not yet closed), nothing is changed and the failure says so, in
 * Tidemark's words rather than with Flyway's setting names.
 */
final class MigrationLock {
  /** PostgreSQL's SQLState for a lock wait that reached lock_timeout. */
  static final String LOCK_NOT_AVAILABLE = "55P03";

  /**
   * Flyway's PostgreSQL advisory lock number base; the lock is this plus the quoted table's hash.
   */
  private static final long FLYWAY_LOCK_BASE = 77431708279161L;

  private MigrationLock() {}

  /** The advisory lock of a history table, written {@code "schema"."table"}: Flyway's number. */
  static long number(String quotedHistoryTable) {
    return FLYWAY_LOCK_BASE + quotedHistoryTable.hashCode();
  }

  /** Flyway gave up on its lock after its retries. */
  static boolean notAcquired(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.contains("attempting to acquire PostgreSQL advisory lock")) {
        return true;
      }
    }
    return false;
  }

  /** The undo runner's wait for the lock reached lock_timeout. */
  static boolean timedOut(SQLException e) {
    return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
  }

  static RunnerException held(int waitedSeconds, String current, Throwable cause) {
    return new RunnerException(
        Reason.MigrationLockHeld,
        message(waitedSeconds) + "; " + Messages.atRevision(current),
        null,
        current,
        cause);
  }

  static String message(int waitedSeconds) {
    return "another session holds the migration lock of this database"
        + (waitedSeconds > 0
            ? " (waited " + waitedSeconds + " s, spec.migrations.lockTimeout)"
            : "")
        + ": a migrate or undo running elsewhere, or the session of a runner that was stopped, which PostgreSQL"
        + " ends when it notices the connection is gone; nothing was changed. To see it: SELECT pid, state,"
        + " backend_start FROM pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')";
  }
}
