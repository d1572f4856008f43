package io.tidemark.migrate;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What each option's value must be, checked as the command line is parsed: a usage error names the
 * option, the value and what it should be (exit 3, InvalidArgument).
 */
final class OptionValues {
  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  private OptionValues() {}

  /** A file name (or its start) in the backup folder: no path, nothing hidden. */
  static String backupFileName(String value) {
    if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}")) {
      throw invalid(
          "'"
              + value
              + "' is not a backup file name (letters, digits, '.', '_' and '-', no folder)");
    }
    return value;
  }

  static String backupKeep(String value) {
    if (!value.matches("[1-9]\\d{0,2}")) {
      throw invalid("--backup-keep '" + value + "' is not a number between 1 and 999");
    }
    return value;
  }

  /** --schema: a plain identifier, since it ends up in SQL. */
  static String schemaName(String value) {
    List<String> names = List.of(value.split(",", -1));
    Set<String> seen = new TreeSet<>();
    for (String name : names) {
      if (!SCHEMA_NAME.matcher(name).matches()) {
        throw invalid(
            "--schema '"
                + value
                + "': '"
                + name
                + "' is not a plain PostgreSQL identifier (schemas are separated by commas)");
      }
      if (!seen.add(name)) {
        throw invalid("--schema '" + value + "' names schema " + name + " twice");
      }
    }
    return value;
  }

  static Integer connectRetries(String value) {
    if (!value.matches("\\d{1,3}")) {
      throw invalid("--connect-retries '" + value + "' is not a number between 0 and 999");
    }
    return Integer.parseInt(value);
  }

  static String failedRevision(String value) {
    if (!Revisions.isWellFormed(value)) {
      throw invalid("--clear-failed '" + value + "' is not a revision such as 3 or 2025.01.31.2");
    }
    return value;
  }

  static String baselineRevision(String value) {
    if (!Revisions.isWellFormed(value)) {
      throw invalid("--baseline-at '" + value + "' is not a revision such as 3 or 2025.01.31.2");
    }
    return value;
  }

  static String waitRevision(String value) {
    if (!value.equals(Revisions.LATEST) && !Revisions.isWellFormed(value)) {
      throw invalid(
          "--revision '" + value + "' is not a revision such as 3 or 2025.01.31.2, nor latest");
    }
    return value;
  }

  private static RunnerException invalid(String message) {
    return RunnerCommandLine.invalid(message);
  }
}
