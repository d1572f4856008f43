package io.tidemark.migrate;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds transaction control (COMMIT, ROLLBACK, BEGIN, ...) at the top level of a script that runs
 * inside the runner's transaction. Such a statement ends that transaction part-way: the statements
 * before it stay committed whatever happens after, and neither Flyway nor the runner could then
 * roll the script back as a whole. So it is refused before anything runs, with the file and line.
 * Function bodies ($$ ... $$, BEGIN ATOMIC ... END) are not top level and are not looked at;
 * non-transactional scripts (executeInTransaction=false) may use it.
 */
final class TransactionControl {
  private static final Pattern LEADING_COMMENTS =
      Pattern.compile("\\A(?:\\s+|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)*", Pattern.DOTALL);
  private static final Pattern WORD = Pattern.compile("[A-Za-z_]+");

  private TransactionControl() {}

  /** The problem with the script, naming file, line and statement; empty when there is none. */
  static Optional<String> problem(Script script) {
    if (script == null || !script.transactional()) {
      return Optional.empty();
    }
    String sql = script.sql();
    int from = 0;
    for (String statement : SqlScriptSplitter.split(sql)) {
      int at = sql.indexOf(statement, from);
      if (at < 0) {
        at = from;
      } else {
        from = at + statement.length();
      }
      Matcher comments = LEADING_COMMENTS.matcher(statement);
      int start = comments.lookingAt() ? comments.end() : 0;
      String control = control(statement.substring(start));
      if (control != null) {
        return Optional.of(
            script.fileName()
                + ", line "
                + lineOf(sql, at + start)
                + ": "
                + control
                + " ends the transaction the script runs in, so a failure after it could not be rolled back;"
                + " remove it, or make the script non-transactional with executeInTransaction=false in "
                + script.fileName()
                + ".conf");
      }
    }
    return Optional.empty();
  }

  /**
   * Statements PostgreSQL refuses inside a transaction block ("cannot run inside a transaction
   * block"), at the start of a statement after comments.
   */
  private static final Pattern OUTSIDE_TRANSACTION =
      Pattern.compile(
          "\\A(?:(?:CREATE\\s+(?:UNIQUE\\s+)?|DROP\\s+)INDEX\\s+CONCURRENTLY\\b"
              + "|REINDEX\\b[^;]*\\bCONCURRENTLY\\b|VACUUM\\b|(?:CREATE|DROP)\\s+DATABASE\\b"
              + "|(?:CREATE|DROP)\\s+TABLESPACE\\b|ALTER\\s+SYSTEM\\b"
              + "|(?:DETACH|ALTER\\s+TABLE\\b[^;]*\\bDETACH)\\s+PARTITION\\b[^;]*\\bCONCURRENTLY\\b)",
          Pattern.CASE_INSENSITIVE);

  /**
   * Whether every statement of the script can run inside a transaction block; a script with one
   * that cannot (CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, VACUUM, ...) runs outside one,
   * as Flyway runs such a migration on PostgreSQL.
   */
  static boolean canRunInTransaction(String sql) {
    for (String statement : SqlScriptSplitter.split(sql)) {
      Matcher comments = LEADING_COMMENTS.matcher(statement);
      int start = comments.lookingAt() ? comments.end() : 0;
      if (OUTSIDE_TRANSACTION.matcher(statement.substring(start)).lookingAt()) {
        return false;
      }
    }
    return true;
  }

  /** The transaction-control statement's keywords, or null when the statement is not one. */
  static String control(String statement) {
    Matcher words = WORD.matcher(statement);
    String first = words.lookingAt() ? words.group().toUpperCase(Locale.ROOT) : "";
    String second = "";
    String rest = statement.substring(first.length()).stripLeading();
    Matcher next = WORD.matcher(rest);
    if (next.lookingAt()) {
      second = next.group().toUpperCase(Locale.ROOT);
    }
    return switch (first) {
      case "BEGIN", "COMMIT", "END", "ABORT" -> first;
      // ROLLBACK TO SAVEPOINT stays inside the transaction.
      case "ROLLBACK" -> second.equals("TO") ? null : first;
      case "START" -> second.equals("TRANSACTION") ? "START TRANSACTION" : null;
      case "PREPARE" -> second.equals("TRANSACTION") ? "PREPARE TRANSACTION" : null;
      default -> null;
    };
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
