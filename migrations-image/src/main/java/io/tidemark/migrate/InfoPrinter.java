package io.tidemark.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.api.MigrationInfo;

/** info: current revision, applied history, pending revisions and the latest, as text or JSON. */
final class InfoPrinter {
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

  private InfoPrinter() {}

  static String text(HistoryState history, MigrationScripts image) {
    StringBuilder out = new StringBuilder();
    out.append("Current revision: ").append(Revisions.label(history.current())).append('\n');
    out.append("Latest revision:  ").append(Revisions.label(image.latest())).append('\n');
    List<String> pending =
        history.pending().stream().map(i -> Revisions.label(i.getVersion())).toList();
    out.append("Pending:          ")
        .append(pending.isEmpty() ? "none" : String.join(", ", pending))
        .append('\n');
    out.append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "%-12s %-30s %-20s %-12s %-12s %s%n",
            "Version",
            "Description",
            "Installed on",
            "State",
            "Checksum",
            "Undo"));
    for (MigrationInfo info : history.all()) {
      if (!info.isVersioned() || info.getVersion() == null) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%-12s %-30s %-20s %-12s %-12s %s%n",
              Revisions.label(info.getVersion()),
              abbreviate(info.getDescription(), 30),
              info.getInstalledOn() == null
                  ? ""
                  : INSTANT
                      .format(info.getInstalledOn().toInstant())
                      .substring(0, 19)
                      .replace('T', ' '),
              info.getState().getDisplayName(),
              info.getChecksum() == null ? "" : String.valueOf(info.getChecksum()),
              undoScript(info, image)));
    }
    return out.toString().stripTrailing();
  }

  static String json(HistoryState history, MigrationScripts image, ObjectMapper mapper) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("current", Revisions.label(history.current()));
    root.put("latest", Revisions.label(image.latest()));
    root.put(
        "pending", history.pending().stream().map(i -> Revisions.label(i.getVersion())).toList());
    root.put("available", image.labels());
    root.put("baseline", history.baseline() == null ? null : Revisions.label(history.baseline()));
    List<Map<String, Object>> migrations = new ArrayList<>();
    for (MigrationInfo info : history.all()) {
      if (!info.isVersioned() || info.getVersion() == null) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("version", Revisions.label(info.getVersion()));
      row.put("description", info.getDescription());
      row.put("script", info.getScript());
      row.put("state", info.getState().name());
      row.put("applied", info.isApplied());
      row.put(
          "installedOn",
          info.getInstalledOn() == null ? null : INSTANT.format(info.getInstalledOn().toInstant()));
      row.put("installedBy", info.getInstalledBy());
      row.put("executionMs", info.getExecutionTime());
      row.put("checksum", info.getChecksum());
      String undo = undoScript(info, image);
      row.put("undoScript", undo.isEmpty() ? null : undo);
      migrations.add(row);
    }
    root.put("migrations", migrations);
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String undoScript(MigrationInfo info, MigrationScripts image) {
    return image
        .find(info.getVersion())
        .filter(ImageRevision::hasUndo)
        .map(r -> r.undo().fileName())
        .orElse("");
  }

  private static String abbreviate(String text, int max) {
    return text == null ? "" : text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
