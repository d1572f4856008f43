package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code wait --revision N}: checks the history table until the database is at N or later, with
 * backoff between checks, and gives up at the timeout. A database that cannot be reached yet (it is
 * starting, its Service has no endpoints, the user or the database is being created) is waited for
 * like one at an older revision; each check says what it saw. Reads only: nothing is locked,
 * nothing is changed, so any number of application pods can wait at once.
 */
final class RevisionWait {
  /** The current revision (null: base, or no history table yet); throws when it cannot be read. */
  interface Reading {
    MigrationVersion current();
  }

  /** Milliseconds from an arbitrary origin, only ever subtracted: a monotonic clock. */
  interface Clock {
    long millis();
  }

  static final long FIRST_DELAY_MS = 1_000;
  static final long MAX_DELAY_MS = 10_000;

  /** Failures that may heal while waiting: the database is not (yet) there for this user. */
  private static final Set<Reason> WAITED_FOR =
      Set.of(Reason.ConnectionFailed, Reason.AuthenticationFailed, Reason.DatabaseNotFound);

  private final Reading reading;
  private final Clock clock;
  private final PostgresConnector.Sleeper sleeper;
  private final Console console;

  /** What the last check saw: a revision's label, or null when it could not read one. */
  private String lastSeen;

  RevisionWait(Reading reading, Clock clock, PostgresConnector.Sleeper sleeper, Console console) {
    this.reading = reading;
    this.clock = clock;
    this.sleeper = sleeper;
    this.console = console;
  }

  /**
   * Returns the revision the database is at once it is at {@code target} or later; throws
   * WaitTimedOut when {@code timeout} runs out first.
   */
  MigrationVersion until(MigrationVersion target, WaitTimeout timeout) {
    String wanted = Revisions.label(target);
    long start = clock.millis();
    long delay = FIRST_DELAY_MS;
    for (int check = 1; ; check++) {
      String seen;
      try {
        MigrationVersion current = reading.current();
        lastSeen = Revisions.label(current);
        if (Revisions.compare(current, target) >= 0) {
          console.progress(
              "the database is at revision "
                  + lastSeen
                  + (lastSeen.equals(wanted) ? "" : ", past " + wanted)
                  + " (check "
                  + check
                  + ")");
          return current;
        }
        seen = "the database is at revision " + lastSeen;
      } catch (RunnerException e) {
        if (!WAITED_FOR.contains(e.reason())) {
          throw e;
        }
        seen = PostgresConnector.firstLine(e.getMessage());
      }
      long elapsed = clock.millis() - start;
      if (!timeout.forever() && elapsed >= timeout.millis()) {
        throw new RunnerException(
            Reason.WaitTimedOut,
            "gave up waiting for revision "
                + wanted
                + " after "
                + timeout.label()
                + " ("
                + check
                + " checks): "
                + seen
                + "; is the DatabaseSchema that migrates it Ready? (kubectl get dbs)");
      }
      long pause = timeout.forever() ? delay : Math.min(delay, timeout.millis() - elapsed);
      console.progress(
          seen + "; waiting for revision " + wanted + ", next check in " + pause + " ms");
      try {
        sleeper.sleep(pause);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new RunnerException(
            Reason.WaitTimedOut, "interrupted while waiting for revision " + wanted);
      }
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }

  /** The label of the revision the last check read, or null when none could be read. */
  String lastSeen() {
    return lastSeen;
  }

  /**
   * Reads the current revision from the history table on a new session each time: the newest
   * successful version, the baseline marker included (Tidemark's undo deletes the rows it undoes).
   */
  static Reading fromHistoryTable(PostgresConnector connector, String schema) {
    String table = "\"" + schema + "\".\"" + CliOptions.HISTORY_TABLE + "\"";
    return () -> {
      try (Connection connection = connector.open()) {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?)")) {
          exists.setString(1, table);
          try (ResultSet rs = exists.executeQuery()) {
            if (!rs.next() || rs.getString(1) == null) {
              return null;
            }
          }
        }
        MigrationVersion newest = null;
        try (Statement statement = connection.createStatement();
            ResultSet rs =
                statement.executeQuery(
                    "SELECT version FROM " + table + " WHERE success AND version IS NOT NULL")) {
          while (rs.next()) {
            MigrationVersion version = MigrationVersion.fromVersion(rs.getString(1));
            if (Revisions.compare(version, newest) > 0) {
              newest = version;
            }
          }
        }
        return newest;
      } catch (SQLException e) {
        if (PostgresConnector.isConnectionLoss(e)) {
          throw new RunnerException(
              Reason.ConnectionFailed,
              "lost the connection: " + PostgresConnector.firstLine(e.getMessage()),
              e);
        }
        throw new RunnerException(
            Reason.Internal,
            "cannot read "
                + table
                + ": "
                + PostgresConnector.firstLine(e.getMessage())
                + " (the user needs SELECT on it)",
            e);
      }
    };
  }
}
