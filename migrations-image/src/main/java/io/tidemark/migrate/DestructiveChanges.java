package io.tidemark.migrate;

import io.tidemark.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one revision did to the catalog that may lose data, or fail or lock on real data, from the
 * catalog before and after it ran on a schema-only copy: tables, columns, schemas, indexes or
 * constraints dropped; column types changed; NOT NULL, CHECK or UNIQUE added to an existing table;
 * an index built without CONCURRENTLY on an existing table. New tables and their columns, indexes
 * and constraints are not destructive: they hold no rows yet.
 */
final class DestructiveChanges {
  /** The kinds, as the report names them. */
  enum Kind {
    SchemaDropped,
    TableDropped,
    ColumnDropped,
    IndexDropped,
    ConstraintDropped,
    ColumnTypeChanged,
    NotNullAdded,
    CheckAdded,
    UniqueAdded,
    IndexNotConcurrent
  }

  private static final Pattern INDEX_TABLE = Pattern.compile(" ON (?:ONLY )?(\\S+) USING ");

  private DestructiveChanges() {}

  /**
   * The destructive changes of {@code revision} between two snapshots; {@code upSql} is the
   * revision's script (to tell a concurrent index build), {@code transactional} whether it ran in a
   * transaction (where CONCURRENTLY is impossible).
   */
  static List<Report.Finding> between(
      Map<String, String> before,
      Map<String, String> after,
      String revision,
      String upSql,
      boolean transactional) {
    return between(before, before, after, revision, upSql, transactional);
  }

  /**
   * As above, where {@code initial} is the catalog before the plan's first revision: only what
   * existed then holds rows, so a revision that drops or changes what an earlier revision of the
   * same plan created loses nothing.
   */
  static List<Report.Finding> between(
      Map<String, String> initial,
      Map<String, String> before,
      Map<String, String> after,
      String revision,
      String upSql,
      boolean transactional) {
    List<Report.Finding> found = new ArrayList<>();
    for (var entry : before.entrySet()) {
      String key = entry.getKey();
      if (!initial.containsKey(key)) {
        continue;
      }
      String was = entry.getValue();
      String now = after.get(key);
      if (key.startsWith("schema ")) {
        if (now == null) {
          found.add(finding(revision, Kind.SchemaDropped, name(key)));
        }
      } else if (key.startsWith("table ")) {
        if (now == null && schemaStays(after, name(key))) {
          found.add(finding(revision, Kind.TableDropped, name(key)));
        }
      } else if (key.startsWith("column ")) {
        String table = parent(name(key));
        if (!after.containsKey("table " + table)) {
          continue;
        }
        if (now == null) {
          found.add(finding(revision, Kind.ColumnDropped, name(key)));
        } else {
          if (!type(was).equals(type(now))) {
            found.add(finding(revision, Kind.ColumnTypeChanged, name(key)));
          }
          if (!notNull(was) && notNull(now)) {
            found.add(finding(revision, Kind.NotNullAdded, name(key)));
          }
        }
      } else if (key.startsWith("index ")) {
        Optional<String> table = indexTable(was);
        if (now == null
            && table.map(t -> after.containsKey("table " + t)).orElse(true)
            && !constraintOfIndexDropped(before, after, name(key))) {
          found.add(finding(revision, Kind.IndexDropped, name(key)));
        }
      } else if (key.startsWith("constraint ")) {
        String table = parent(name(key));
        if (now == null && after.containsKey("table " + table)) {
          found.add(finding(revision, Kind.ConstraintDropped, name(key)));
        }
      }
    }
    for (var entry : after.entrySet()) {
      String key = entry.getKey();
      if (before.containsKey(key)) {
        continue;
      }
      String now = entry.getValue();
      if (key.startsWith("column ")) {
        String table = parent(name(key));
        if (initial.containsKey("table " + table) && notNull(now) && !now.contains(" default ")) {
          // A new NOT NULL column without a default fails on a table that has rows.
          found.add(finding(revision, Kind.NotNullAdded, name(key)));
        }
      } else if (key.startsWith("constraint ")) {
        String table = parent(name(key));
        if (!initial.containsKey("table " + table)) {
          continue;
        }
        if (now.startsWith("c ")) {
          found.add(finding(revision, Kind.CheckAdded, name(key)));
        } else if (now.startsWith("u ") || now.startsWith("p ")) {
          found.add(finding(revision, Kind.UniqueAdded, name(key)));
        }
      } else if (key.startsWith("index ")) {
        Optional<String> table = indexTable(now);
        String index = name(key);
        boolean onExistingTable = table.map(t -> initial.containsKey("table " + t)).orElse(false);
        boolean ofNewConstraint =
            after.keySet().stream()
                .anyMatch(
                    k ->
                        k.startsWith("constraint ")
                            && !before.containsKey(k)
                            && k.endsWith("." + lastPart(index)));
        if (onExistingTable
            && !ofNewConstraint
            && (transactional || !builtConcurrently(upSql, lastPart(index)))) {
          found.add(finding(revision, Kind.IndexNotConcurrent, index));
        }
      }
    }
    return found;
  }

  /** Whether the script builds the index with CREATE [UNIQUE] INDEX CONCURRENTLY. */
  static boolean builtConcurrently(String sql, String index) {
    if (sql == null) {
      return false;
    }
    Matcher m =
        Pattern.compile(
                "CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                    + "(?:\\S+\\.)?\"?"
                    + Pattern.quote(index)
                    + "\"?(?![A-Za-z0-9_$])",
                Pattern.CASE_INSENSITIVE)
            .matcher(sql);
    return m.find();
  }

  private static boolean constraintOfIndexDropped(
      Map<String, String> before, Map<String, String> after, String index) {
    String last = lastPart(index);
    return before.keySet().stream()
        .anyMatch(
            k -> k.startsWith("constraint ") && !after.containsKey(k) && k.endsWith("." + last));
  }

  private static boolean schemaStays(Map<String, String> after, String qualified) {
    int dot = qualified.indexOf('.');
    return dot < 0 || after.containsKey("schema " + qualified.substring(0, dot));
  }

  private static Optional<String> indexTable(String indexdef) {
    Matcher m = INDEX_TABLE.matcher(indexdef == null ? "" : indexdef);
    return m.find() ? Optional.of(m.group(1).replace("\"", "")) : Optional.empty();
  }

  /** "column public.orders.total" → "public.orders.total". */
  private static String name(String key) {
    return key.substring(key.indexOf(' ') + 1);
  }

  /** "public.orders.total" → "public.orders". */
  private static String parent(String qualified) {
    int dot = qualified.lastIndexOf('.');
    return dot < 0 ? qualified : qualified.substring(0, dot);
  }

  private static String lastPart(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  /** A column's type, from CatalogSnapshot's "type not null default ..." text. */
  private static String type(String column) {
    int i = column.indexOf(" not null");
    int j = column.indexOf(" null");
    int end = i >= 0 ? i : j >= 0 ? j : column.length();
    return column.substring(0, end);
  }

  private static boolean notNull(String column) {
    return column.contains(" not null");
  }

  private static Report.Finding finding(String revision, Kind kind, String object) {
    return new Report.Finding(revision, kind.name(), object);
  }
}
