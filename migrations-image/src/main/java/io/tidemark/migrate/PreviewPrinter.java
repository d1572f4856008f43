package io.tidemark.migrate;

/**
 * preview: the SQL a migrate or undo to the target would run, in order, each script under a header
 * naming the revision, the file and whether it runs in a transaction. Nothing runs.
 */
final class PreviewPrinter {
  private PreviewPrinter() {}

  static String render(Plan plan, String historyTable) {
    StringBuilder out = new StringBuilder();
    out.append("-- Tidemark preview: ")
        .append(plan.direction().name())
        .append(" from ")
        .append(Revisions.label(plan.current()))
        .append(" to ")
        .append(Revisions.label(plan.target()))
        .append(", ")
        .append(plan.revisions().size())
        .append(" revision(s). Nothing was executed.\n");
    for (PlannedRevision step : plan.revisions()) {
      boolean up = plan.direction() == Plan.Direction.up;
      out.append("\n-- ==== ")
          .append(up ? "revision " : "undo revision ")
          .append(step.revision())
          .append(": ")
          .append(step.description())
          .append(" (")
          .append(up ? step.upScript() : String.valueOf(step.undoScript()))
          .append(step.transactional() ? ", in one transaction" : ", non-transactional")
          .append(") ====\n");
      if (step.script() == null) {
        out.append("-- MISSING: no U")
            .append(step.revision())
            .append("__*.sql undo script; undo would refuse to start\n");
        continue;
      }
      String sql = step.script().sql();
      out.append(sql);
      if (!sql.endsWith("\n")) {
        out.append('\n');
      }
      if (up) {
        out.append("-- (Flyway records revision ")
            .append(step.revision())
            .append(" in ")
            .append(historyTable)
            .append(")\n");
      } else {
        out.append("DELETE FROM ")
            .append(historyTable)
            .append(" WHERE version = '")
            .append(step.revision())
            .append("';\n");
      }
    }
    return out.toString().stripTrailing();
  }
}
