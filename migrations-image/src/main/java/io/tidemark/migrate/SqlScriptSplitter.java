package io.tidemark.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements at top-level semicolons, skipping those inside quotes,
 * dollar-quoted bodies, comments, parentheses (CREATE RULE ... DO (a; b)) and BEGIN ATOMIC ... END
 * function bodies. Needed because statements such as DROP INDEX CONCURRENTLY must each be sent on
 * their own: several statements in one JDBC call form an implicit transaction. SplitterCorpusTest
 * compares it with Flyway's own parser on a corpus of tricky scripts.
 */
public final class SqlScriptSplitter {
  private SqlScriptSplitter() {}

  public static List<String> split(String sql) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int atomicDepth = 0;
    int caseDepth = 0;
    int parenDepth = 0;
    // The last word read, for BEGIN ATOMIC; comments and whitespace between the two do not count.
    String previousWord = null;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        end = sql.indexOf('\n', i);
        end = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        end = blockCommentEnd(sql, i);
      } else if (c == '\'') {
        boolean escapes =
            i > 0
                && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)));
        end = quotedEnd(sql, i, '\'', escapes);
        previousWord = null;
      } else if (c == '"') {
        end = quotedEnd(sql, i, '"', false);
        previousWord = null;
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int close = sql.indexOf(tag, i + tag.length());
        end = close < 0 ? n : close + tag.length();
        previousWord = null;
      } else if (Character.isLetter(c) && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
        end = i;
        while (end < n && isWordChar(sql.charAt(end))) {
          end++;
        }
        String word = sql.substring(i, end);
        if (word.equalsIgnoreCase("ATOMIC") && "BEGIN".equalsIgnoreCase(previousWord)) {
          atomicDepth++;
        } else if (atomicDepth > 0 && word.equalsIgnoreCase("CASE")) {
          // CASE ... END inside a BEGIN ATOMIC body: its END does not close the body.
          caseDepth++;
        } else if (atomicDepth > 0 && word.equalsIgnoreCase("END")) {
          if (caseDepth > 0) {
            caseDepth--;
          } else {
            atomicDepth--;
          }
        }
        previousWord = word;
      } else if (c == ';' && atomicDepth == 0 && parenDepth == 0) {
        addIfNotBlank(statements, current.toString());
        current.setLength(0);
        previousWord = null;
        i++;
        continue;
      } else {
        if (c == '(') {
          parenDepth++;
        } else if (c == ')' && parenDepth > 0) {
          parenDepth--;
        }
        if (!Character.isWhitespace(c)) {
          previousWord = null;
        }
        end = i + 1;
      }
      current.append(sql, i, end);
      i = end;
    }
    addIfNotBlank(statements, current.toString());
    return statements;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static int blockCommentEnd(String sql, int start) {
    int depth = 0;
    int i = start;
    while (i < sql.length() - 1) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int quotedEnd(String sql, int start, char quote, boolean backslashEscapes) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // doubled quote inside the literal
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  /** The dollar-quote tag starting at i ($$ or $name$), or null if this is not one. */
  private static String dollarTag(String sql, int i) {
    if (i > 0 && isWordChar(sql.charAt(i - 1))) {
      return null; // part of an identifier such as a$b, or a parameter like $1
    }
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    if (j < sql.length() && sql.charAt(j) == '$') {
      String tag = sql.substring(i, j + 1);
      if (tag.length() > 2 && Character.isDigit(tag.charAt(1))) {
        return null; // $1 parameter
      }
      return tag;
    }
    return null;
  }

  private static void addIfNotBlank(List<String> statements, String statement) {
    if (!isOnlyCommentsOrBlank(statement)) {
      statements.add(statement.strip());
    }
  }

  private static boolean isOnlyCommentsOrBlank(String statement) {
    String s = statement.strip();
    while (!s.isEmpty()) {
      if (s.startsWith("--")) {
        int nl = s.indexOf('\n');
        s = nl < 0 ? "" : s.substring(nl + 1).strip();
      } else if (s.startsWith("/*")) {
        s = s.substring(Math.min(s.length(), blockCommentEnd(s, 0))).strip();
      } else {
        return false;
      }
    }
    return true;
  }
}
