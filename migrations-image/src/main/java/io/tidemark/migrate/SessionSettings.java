package io.tidemark.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * lock_timeout and statement_timeout, applied to every session the runner opens: Flyway's (as
 * initSql) and the undo runner's. Values were checked by {@link PgDuration}.
 */
public record SessionSettings(String lockTimeout, String statementTimeout) {

  /** The SET statements, or null when neither timeout is set. */
  public String initSql() {
    StringBuilder sql = new StringBuilder();
    if (lockTimeout != null) {
      sql.append("SET lock_timeout = '").append(lockTimeout).append("'; ");
    }
    if (statementTimeout != null) {
      sql.append("SET statement_timeout = '").append(statementTimeout).append("'; ");
    }
    return sql.length() == 0 ? null : sql.toString().trim();
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
