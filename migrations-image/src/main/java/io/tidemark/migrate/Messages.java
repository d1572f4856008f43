package io.tidemark.migrate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of a failure message: one line, clauses joined by "; ", no final period, and no clause
 * twice. The operator shows the report's message after "Migration from A to B failed: " and appends
 * ". The database is at revision N." unless the message already says where the database is, so a
 * final period would double up and a repeated clause would read twice.
 */
final class Messages {
  /**
   * The clause every mid-chain failure ends with; the operator looks for "database is at revision".
   */
  static String atRevision(String revision) {
    return revision == null
        ? "the revision the database is at could not be read afterwards; the next plan reads it"
        : "the database is at revision " + revision;
  }

  private Messages() {}

  /**
   * Text from elsewhere (PostgreSQL, the JDBC driver, Flyway) made fit to embed as a clause: its
   * first line, trimmed, without a final period.
   */
  static String clause(String text) {
    return withoutFinalPeriod(PostgresConnector.firstLine(text).strip());
  }

  /**
   * The report's message: line breaks become spaces, a clause that repeats an earlier one is
   * dropped, and there is no final period.
   */
  static String normalize(String message) {
    if (message == null) {
      return null;
    }
    String oneLine = message.replaceAll("\\s*\\R\\s*", " ").strip();
    Set<String> seen = new LinkedHashSet<>();
    List<String> kept = new ArrayList<>();
    for (String part : oneLine.split("; ", -1)) {
      String key = withoutFinalPeriod(part.strip()).toLowerCase(java.util.Locale.ROOT);
      if (key.isEmpty() || seen.add(key)) {
        kept.add(part);
      }
    }
    return withoutFinalPeriod(String.join("; ", kept).strip());
  }

  private static String withoutFinalPeriod(String text) {
    String s = text;
    // "..." is a cut, not a period; a URL or a version number does not end in a lone '.'.
    while (s.endsWith(".") && !s.endsWith("...")) {
      s = s.substring(0, s.length() - 1).stripTrailing();
    }
    return s;
  }
}
