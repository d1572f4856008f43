package io.tidemark.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The schema as PostgreSQL's catalog describes it, as "kind name" -> definition, over every user
 * schema: schemas, extensions, tables, columns (type, default, nullability, identity), indexes,
 * constraints, triggers, views, sequences, functions, enums and domains. Flyway's history table is
 * left out: it is expected to differ. Data is not compared.
 */
public final class CatalogSnapshot {
  private static final String USER_SCHEMA =
      "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";
  private static final String NOT_HISTORY =
      "NOT (n.nspname = ? AND c.relname = '" + CliOptions.HISTORY_TABLE + "')";
  private static final String NOT_EXTENSION_MEMBER =
      "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s AND d.deptype = 'e')";

  private static final List<String> QUERIES =
      List.of(
          "SELECT 'schema ' || n.nspname, '' FROM pg_namespace n WHERE " + USER_SCHEMA,
          "SELECT 'extension ' || extname, extversion FROM pg_extension",
          // tables, partitioned tables, foreign tables
          "SELECT 'table ' || n.nspname || '.' || c.relname,"
              + " c.relkind::text || ' ' || c.relpersistence::text"
              + " || coalesce(' partition by ' || pg_get_partkeydef(c.oid), '')"
              + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE c.relkind IN ('r', 'p', 'f') AND "
              + USER_SCHEMA
              + " AND "
              + NOT_HISTORY
              + " AND "
              + String.format(NOT_EXTENSION_MEMBER, "c.oid"),
          "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname,"
              + " format_type(a.atttypid, a.atttypmod)"
              + " || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END"
              + " || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')"
              + " || CASE a.attidentity WHEN 'a' THEN ' identity always'"
              + "   WHEN 'd' THEN ' identity by default' ELSE '' END"
              + " || CASE WHEN a.attgenerated = 's' THEN ' generated stored' ELSE '' END"
              + " || CASE WHEN a.attcollation <> t.typcollation"
              + "   THEN ' collate ' || coll.collname ELSE '' END"
              + " FROM pg_attribute a"
              + " JOIN pg_class c ON c.oid = a.attrelid"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " JOIN pg_type t ON t.oid = a.atttypid"
              + " LEFT JOIN pg_collation coll ON coll.oid = a.attcollation"
              + " LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
              + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f')"
              + " AND "
              + USER_SCHEMA
              + " AND "
              + NOT_HISTORY,
          "SELECT 'index ' || n.nspname || '.' || ic.relname,"
              + " pg_get_indexdef(i.indexrelid)"
              + " || CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END"
              + " FROM pg_index i"
              + " JOIN pg_class ic ON ic.oid = i.indexrelid"
              + " JOIN pg_class c ON c.oid = i.indrelid"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE "
              + USER_SCHEMA
              + " AND "
              + NOT_HISTORY,
          "SELECT 'constraint ' || n.nspname || '.' || coalesce(c.relname, t.typname) || '.'"
              + " || con.conname,"
              + " con.contype::text || ' ' || pg_get_constraintdef(con.oid)"
              + " || CASE WHEN con.condeferrable THEN ' deferrable' ELSE '' END"
              + " FROM pg_constraint con"
              + " JOIN pg_namespace n ON n.oid = con.connamespace"
              + " LEFT JOIN pg_class c ON c.oid = con.conrelid"
              + " LEFT JOIN pg_type t ON t.oid = con.contypid"
              + " WHERE "
              + USER_SCHEMA
              + " AND NOT (n.nspname = ? AND coalesce(c.relname, '') = '"
              + CliOptions.HISTORY_TABLE
              + "')",
          "SELECT 'trigger ' || n.nspname || '.' || c.relname || '.' || tg.tgname,"
              + " pg_get_triggerdef(tg.oid) || ' enabled=' || tg.tgenabled::text"
              + " FROM pg_trigger tg"
              + " JOIN pg_class c ON c.oid = tg.tgrelid"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE NOT tg.tgisinternal AND "
              + USER_SCHEMA
              + "",
          "SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END"
              + " || n.nspname || '.' || c.relname, pg_get_viewdef(c.oid)"
              + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE c.relkind IN ('v', 'm') AND "
              + USER_SCHEMA
              + ""
              + " AND "
              + String.format(NOT_EXTENSION_MEMBER, "c.oid"),
          "SELECT 'sequence ' || n.nspname || '.' || c.relname,"
              + " format_type(s.seqtypid, NULL) || ' start ' || s.seqstart"
              + " || ' increment ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax"
              + " || ' cache ' || s.seqcache || CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END"
              + " FROM pg_sequence s"
              + " JOIN pg_class c ON c.oid = s.seqrelid"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE "
              + USER_SCHEMA
              + " AND NOT (n.nspname = ? AND c.relname LIKE '"
              + CliOptions.HISTORY_TABLE
              + "%')",
          "SELECT 'function ' || n.nspname || '.' || p.proname"
              + " || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
              + " pg_get_functiondef(p.oid)"
              + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
              + " WHERE p.prokind IN ('f', 'p', 'w') AND "
              + USER_SCHEMA
              + ""
              + " AND "
              + String.format(NOT_EXTENSION_MEMBER, "p.oid"),
          "SELECT 'enum ' || n.nspname || '.' || t.typname,"
              + " string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)"
              + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
              + " JOIN pg_enum e ON e.enumtypid = t.oid"
              + " WHERE "
              + USER_SCHEMA
              + ""
              + " AND "
              + String.format(NOT_EXTENSION_MEMBER, "t.oid")
              + " GROUP BY n.nspname, t.typname",
          "SELECT 'domain ' || n.nspname || '.' || t.typname,"
              + " format_type(t.typbasetype, t.typtypmod)"
              + " || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END"
              + " || coalesce(' default ' || t.typdefault, '')"
              + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
              + " WHERE t.typtype = 'd' AND "
              + USER_SCHEMA
              + ""
              + " AND "
              + String.format(NOT_EXTENSION_MEMBER, "t.oid"));

  private final SortedMap<String, String> objects;

  private CatalogSnapshot(SortedMap<String, String> objects) {
    this.objects = objects;
  }

  /** Reads the catalog; {@code historySchema} is where Flyway's history table lives. */
  public static CatalogSnapshot capture(Connection connection, String historySchema)
      throws SQLException {
    SortedMap<String, String> objects = new TreeMap<>();
    for (String query : QUERIES) {
      try (PreparedStatement statement = connection.prepareStatement(query)) {
        // Every parameter of these queries is the history table's schema.
        long parameters = query.chars().filter(ch -> ch == '?').count();
        for (int p = 1; p <= parameters; p++) {
          statement.setString(p, historySchema);
        }
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            objects.put(rs.getString(1), Objects.toString(rs.getString(2), ""));
          }
        }
      }
    }
    return new CatalogSnapshot(objects);
  }

  public Map<String, String> objects() {
    return objects;
  }

  /** Human-readable differences from {@code before} to this snapshot; empty when identical. */
  public List<String> differencesFrom(CatalogSnapshot before) {
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, String> entry : before.objects.entrySet()) {
      String now = objects.get(entry.getKey());
      if (now == null) {
        differences.add("missing " + entry.getKey());
      } else if (!now.equals(entry.getValue())) {
        differences.add(
            "changed "
                + entry.getKey()
                + ": was '"
                + oneLine(entry.getValue())
                + "', now '"
                + oneLine(now)
                + "'");
      }
    }
    for (Map.Entry<String, String> entry : objects.entrySet()) {
      if (!before.objects.containsKey(entry.getKey())) {
        differences.add("extra " + entry.getKey() + ": " + oneLine(entry.getValue()));
      }
    }
    return differences;
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}
