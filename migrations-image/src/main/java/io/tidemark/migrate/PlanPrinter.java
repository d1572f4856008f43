package io.tidemark.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** plan: the direction and each revision with its scripts, as text or as (unbounded) JSON. */
final class PlanPrinter {
  private PlanPrinter() {}

  static String text(Plan plan, String server, String digest, List<String> invalidIndexes) {
    StringBuilder out = new StringBuilder();
    out.append("Current ")
        .append(Revisions.label(plan.current()))
        .append(", target ")
        .append(Revisions.label(plan.target()))
        .append(", latest ")
        .append(Revisions.label(plan.latest()))
        .append(": ")
        .append(describe(plan))
        .append('\n');
    for (PlannedRevision step : plan.revisions()) {
      out.append("  ")
          .append(step.revision())
          .append("  ")
          .append(step.description())
          .append("  ")
          .append(
              plan.direction() == Plan.Direction.up
                  ? step.upScript()
                  : step.undoScript() == null ? "(no undo script)" : step.undoScript())
          .append(step.transactional() ? "" : "  [non-transactional]")
          .append(
              plan.direction() == Plan.Direction.up
                  ? (step.hasUndo() ? "  undo: " + step.undoScript() : "  undo: none")
                  : "")
          .append('\n');
    }
    if (!plan.undoMissing().isEmpty()) {
      out.append("Without undo script: ")
          .append(String.join(", ", plan.undoMissing()))
          .append('\n');
    }
    if (!invalidIndexes.isEmpty()) {
      out.append("Invalid indexes (left by a CREATE INDEX CONCURRENTLY that failed): ")
          .append(String.join(", ", invalidIndexes))
          .append('\n');
    }
    out.append("Server: PostgreSQL ").append(server).append('\n');
    out.append("Digest: ").append(digest);
    return out.toString();
  }

  static String json(
      Plan plan, String server, String digest, List<String> invalidIndexes, ObjectMapper mapper) {
    return json(plan, server, digest, invalidIndexes, null, mapper);
  }

  static String json(
      Plan plan,
      String server,
      String digest,
      List<String> invalidIndexes,
      Rehearsal.Outcome rehearsal,
      ObjectMapper mapper) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("current", Revisions.label(plan.current()));
    root.put("target", Revisions.label(plan.target()));
    root.put("latest", Revisions.label(plan.latest()));
    root.put("direction", plan.direction().name());
    List<Map<String, Object>> revisions = new ArrayList<>();
    for (PlannedRevision step : plan.revisions()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("revision", step.revision());
      row.put("description", step.description());
      row.put("script", step.upScript());
      row.put("undoScript", step.undoScript());
      row.put("hasUndo", step.hasUndo());
      row.put("transactional", step.transactional());
      revisions.add(row);
    }
    root.put("revisions", revisions);
    root.put("undoMissing", plan.undoMissing());
    root.put("invalidIndexes", invalidIndexes);
    root.put("server", server);
    root.put("digest", digest);
    if (rehearsal != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("outcome", rehearsal.done() ? "done" : "skipped");
      if (rehearsal.skippedBecause() != null) {
        r.put("reason", rehearsal.skippedBecause());
      }
      List<Map<String, Object>> found = new ArrayList<>();
      for (var f : rehearsal.findings()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("revision", f.revision);
        row.put("kind", f.kind);
        row.put("object", f.object);
        found.add(row);
      }
      r.put("destructive", found);
      root.put("rehearsal", r);
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rehearsal's findings as text, one line per destructive change. */
  static String rehearsal(Rehearsal.Outcome outcome) {
    if (!outcome.done()) {
      return "Rehearsal skipped: " + outcome.skippedBecause();
    }
    if (outcome.findings().isEmpty()) {
      return "Rehearsal on a schema-only copy: nothing destructive.";
    }
    StringBuilder text = new StringBuilder("Rehearsal on a schema-only copy: destructive changes:");
    for (var f : outcome.findings()) {
      text.append("\n  ")
          .append(f.revision)
          .append("  ")
          .append(f.kind)
          .append("  ")
          .append(f.object);
    }
    return text.toString();
  }

  private static String describe(Plan plan) {
    int n = plan.revisions().size();
    return switch (plan.direction()) {
      case up -> "up, " + n + " revision(s) to apply";
      case down -> "down, " + n + " revision(s) to undo, newest first";
      case none -> "nothing to do";
    };
  }
}
