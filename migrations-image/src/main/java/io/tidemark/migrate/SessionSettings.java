package io.tidemark.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * lock_timeout and statement_timeout, applied to every session the runner opens: Flyway's (as
 * initSql) and the undo runner's. Values were checked by {@link PgDuration}.
 */
public record SessionSettings(String lockTimeout, String statementTimeout) {

  /**
   * How often the server checks, during a long statement or a lock wait, that the runner is still
   * connected (PostgreSQL 14 and later). A runner killed mid-statement then leaves no session
   * behind holding its transaction, its locks and the migration lock for longer than this.
   */
  static final String CLIENT_CHECK_INTERVAL = "5s";

  /** Set where the server knows the setting (PostgreSQL 14+); older servers skip it. */
  static final String CLIENT_CHECK =
      "SELECT set_config('client_connection_check_interval', '"
          + CLIENT_CHECK_INTERVAL
          + "', false) WHERE current_setting('server_version_num')::int >= 140000;";

  /** The SET statements for every session of the runner. */
  public String initSql() {
    StringBuilder sql = new StringBuilder(CLIENT_CHECK).append(' ');
    if (lockTimeout != null) {
      sql.append("SET lock_timeout = '").append(lockTimeout).append("'; ");
    }
    if (statementTimeout != null) {
      sql.append("SET statement_timeout = '").append(statementTimeout).append("'; ");
    }
    return sql.toString().trim();
  }

  /**
   * How many times Flyway tries its migration lock, one second apart: as long as lock_timeout lets
   * any other lock wait (at least once), and without end when lock_timeout is 0 or unset (the Job's
   * deadline ends the wait then).
   */
  public int lockRetries() {
    long millis = lockTimeout == null ? 0 : PgDuration.millis(lockTimeout);
    return millis == 0 ? -1 : (int) Math.max(1, (millis + 999) / 1000);
  }

  public void apply(Connection connection) throws SQLException {
    String sql = initSql();
    if (sql != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }
  }
}
