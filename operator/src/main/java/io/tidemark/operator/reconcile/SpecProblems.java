package io.tidemark.operator.reconcile;

import io.tidemark.operator.model.DatabaseRef;
import java.util.List;
import java.util.regex.Pattern;

/** How a spec check words a problem: the field, the value as given (made printable), the fix. */
final class SpecProblems {
  /** A Kubernetes object name (DNS-1123 subdomain), as Secrets, claims and workloads have. */
  static final Pattern OBJECT_NAME = Pattern.compile(DatabaseRef.OBJECT_NAME_PATTERN);

  private SpecProblems() {}

  /** Adds a problem when {@code value} is missing or does not match {@code pattern}. */
  static void require(
      String value, Pattern pattern, String field, String expected, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(field + " is required: " + expected);
    } else if (!pattern.matcher(value).matches()) {
      problems.add(field + " \"" + printable(value) + "\" is not valid: expected " + expected);
    }
  }

  /** Echoes user input back without control characters and at a readable length. */
  static String printable(String value) {
    String clean = value.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 80 ? clean.substring(0, 77) + "..." : clean;
  }
}
