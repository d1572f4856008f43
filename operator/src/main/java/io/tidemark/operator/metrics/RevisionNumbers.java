package io.tidemark.operator.metrics;

/**
 * Revisions as gauge values. A revision is a Flyway version; Prometheus wants a number. Integer
 * versions ("7") are exact; dotted ones ("2025.01.31.2") become their first two parts as a decimal
 * ("2025.01"), enough to see movement on a graph. Alerts compare pending revisions, not these
 * values.
 */
final class RevisionNumbers {
  private RevisionNumbers() {}

  static double value(String revision) {
    if (revision == null || revision.isBlank()) {
      return Double.NaN;
    }
    String[] parts = revision.split("[._]");
    try {
      if (parts.length == 1) {
        return Double.parseDouble(parts[0]);
      }
      return Double.parseDouble(parts[0] + "." + parts[1]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
