package io.tidemark.local.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Queries on a test database, each on a connection of its own that it closes. */
public final class Sql {
  /** The versions Flyway applied, in order. */
  public static final String APPLIED_VERSIONS =
      "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
          + " ORDER BY installed_rank";

  private Sql() {}

  /** The first column of the query's rows; closes the connection. */
  public static List<String> column(Connection connection, String sql) throws SQLException {
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  /** Runs the statement; closes the connection. */
  public static void execute(Connection connection, String sql) throws SQLException {
    try (Connection c = connection;
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
