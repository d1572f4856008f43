package io.tidemark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Serialises a {@link Report} within the size limit of a Kubernetes termination message: the
 * message is cut to 1 KiB, then the tail of the revisions list is cut until the whole fits, and
 * {@code truncated} says how many revisions were cut. Secrets are the writer's caller's to know:
 * the runner passes its redactor, which is applied to the message before it is cut.
 */
public final class ReportWriter {
  public static final int MAX_BYTES = 4096;
  public static final int MAX_MESSAGE_BYTES = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final UnaryOperator<String> redactMessage;

  /** A writer that applies {@code redactMessage} to a report's (non-null) message first. */
  public ReportWriter(UnaryOperator<String> redactMessage) {
    this.redactMessage = Objects.requireNonNull(redactMessage, "redactMessage");
  }

  /** A writer that leaves the message as it is. */
  public ReportWriter() {
    this(UnaryOperator.identity());
  }

  public void write(Report report, Path file) throws IOException {
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  public String render(Report report) {
    report.message =
        cutToBytes(
            report.message == null ? null : redactMessage.apply(report.message), MAX_MESSAGE_BYTES);
    String json = serialise(report);
    if (bytes(json) <= MAX_BYTES || report.revisions == null) {
      return json;
    }
    List<String> all = report.revisions;
    List<String> allUndoMissing = report.undoMissing == null ? List.of() : report.undoMissing;
    int low = 0;
    int high = all.size();
    // Largest number of revisions kept such that the report fits.
    while (low < high) {
      int mid = (low + high + 1) / 2;
      if (bytes(serialise(trimmed(report, all, allUndoMissing, mid))) <= MAX_BYTES) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    json = serialise(trimmed(report, all, allUndoMissing, low));
    if (bytes(json) > MAX_BYTES) {
      // Only reachable with absurdly long version strings: keep the verdict, drop detail.
      report.message = cutToBytes(report.message, 200);
      json = serialise(report);
    }
    return json;
  }

  private static Report trimmed(
      Report report, List<String> all, List<String> undoMissing, int keep) {
    List<String> kept = all.subList(0, keep);
    report.revisions = kept;
    report.undoMissing = undoMissing.stream().filter(kept::contains).toList();
    report.truncated = all.size() - keep;
    return report;
  }

  static String cutToBytes(String text, int maxBytes) {
    if (text == null || bytes(text) <= maxBytes) {
      return text;
    }
    String ellipsis = "...";
    int budget = maxBytes - ellipsis.length();
    StringBuilder cut = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (used + size > budget) {
        break;
      }
      cut.appendCodePoint(codePoint);
      used += size;
      i += Character.charCount(codePoint);
    }
    return cut + ellipsis;
  }

  private static String serialise(Report report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report is plain data and always serialises", e);
    }
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
