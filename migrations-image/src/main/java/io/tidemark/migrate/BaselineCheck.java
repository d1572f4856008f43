package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Refuses, before anything runs, a database whose schema already holds objects but has no history
 * table: Flyway's migrate would stop there ("Found non-empty schema(s) ... but no schema history
 * table"), and the operator would only learn it after a backup. Such a database is adopted with
 * {@code baseline --version}; the runner cannot guess which revision it matches.
 */
final class BaselineCheck {
  /**
   * Flyway's own emptiness rule (PostgreSQLSchema.doEmpty in flyway-database-postgresql): tables,
   * views, sequences, TOAST tables, types other than array and composite (row) types, and functions
   * or procedures, leaving out whatever belongs to an extension. Counted the same way, so that this
   * check refuses exactly when Flyway's migrate would; tables (plain and partitioned, not
   * partitions) are counted separately for the message.
   */
  private static final String QUERY =
      """
      SELECT
        (SELECT count(*) FROM pg_catalog.pg_class c
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')) AS history,
        (SELECT count(*) FROM pg_catalog.pg_class c
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_catalog.pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
           WHERE n.nspname = ? AND d.objid IS NULL AND c.relkind IN ('r', 'p')
             AND NOT c.relispartition) AS tables,
        (SELECT count(*) FROM (
             SELECT c.oid FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
             WHERE n.nspname = ? AND d.objid IS NULL AND c.relkind IN ('r', 'v', 'S', 't')
           UNION ALL
             SELECT t.oid FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             LEFT JOIN pg_catalog.pg_depend d ON d.objid = t.oid AND d.deptype = 'e'
             WHERE n.nspname = ? AND d.objid IS NULL AND t.typcategory NOT IN ('A', 'C')
           UNION ALL
             SELECT p.oid FROM pg_catalog.pg_proc p
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             LEFT JOIN pg_catalog.pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
             WHERE n.nspname = ? AND d.objid IS NULL) objects) AS objects
      """;

  private BaselineCheck() {}

  /** What the schema holds: its history table, and how many tables and other objects. */
  record Found(boolean history, long tables, long objects) {
    /** Objects but no history: created by another tool, to adopt at the revision it matches. */
    boolean needsBaseline() {
      return !history && objects > 0;
    }
  }

  /** Throws BaselineRequired when the schema has objects but no history table. */
  static void requireHistoryOrEmptySchema(PostgresConnector connector, String schema) {
    Found found = inspect(connector, schema);
    if (found.needsBaseline()) {
      throw refusal(schema, found);
    }
  }

  /**
   * The managed schemas together: the history table is looked for in the first; objects anywhere
   * without it need a baseline, as Flyway's migrate would refuse them ("non-empty schema(s)").
   */
  static Found inspect(PostgresConnector connector, java.util.List<String> schemas) {
    Found first = inspect(connector, schemas.get(0));
    long tables = first.tables();
    long objects = first.objects();
    for (String other : schemas.subList(1, schemas.size())) {
      Found found = inspect(connector, other);
      tables += found.tables();
      objects += found.objects();
    }
    return new Found(first.history(), tables, objects);
  }

  /** Reads the schema's catalog (Flyway's emptiness rule, see {@link #QUERY}). */
  static Found inspect(PostgresConnector connector, String schema) {
    try (Connection connection = connector.open();
        PreparedStatement statement = connection.prepareStatement(QUERY)) {
      statement.setString(1, schema);
      statement.setString(2, CliOptions.HISTORY_TABLE);
      for (int i = 3; i <= 6; i++) {
        statement.setString(i, schema);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new Found(rs.getLong("history") > 0, rs.getLong("tables"), rs.getLong("objects"));
      }
    } catch (SQLException e) {
      throw new RunnerException(
          PostgresConnector.isConnectionLoss(e) ? Reason.ConnectionFailed : Reason.Internal,
          "cannot read the catalog of schema "
              + schema
              + ": "
              + PostgresConnector.firstLine(e.getMessage()),
          e);
    }
  }

  /** BaselineRequired, saying what the schema holds and the two ways to adopt it. */
  static RunnerException refusal(String schema, Found found) {
    long tables = found.tables();
    long objects = found.objects();
    String what =
        tables > 0
            ? tables + (tables == 1 ? " table" : " tables")
            : objects
                + (objects == 1 ? " object" : " objects")
                + " (views, sequences, types or functions)";
    return new RunnerException(
        Reason.BaselineRequired,
        (schema.contains(",") ? "the schemas " : "the schema ")
            + schema
            + (schema.contains(",") ? " have " : " has ")
            + what
            + " but no history table "
            + CliOptions.HISTORY_TABLE
            + ": adopt it at the revision it matches (Alembic's stamp) with `baseline --version N`"
            + " or `--baseline-at N` (spec.baseline.revision in a DatabaseSchema), or point"
            + " spec.database at an empty database; nothing was changed");
  }
}
