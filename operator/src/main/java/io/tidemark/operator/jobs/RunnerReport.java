package io.tidemark.operator.jobs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * The JSON a Job's container leaves in its termination message (docs/runner-report.md): the
 * runner's report for plan, migrate and undo Jobs, the backup script's for backup Jobs.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunnerReport(
    Integer v,
    String command,
    Boolean ok,
    Integer exit,
    String reason,
    String message,
    String current,
    String target,
    String latest,
    String direction,
    List<String> revisions,
    List<String> undoMissing,
    Integer truncated,
    String failed,
    String server,
    String digest,
    Long ms,
    String file,
    Long sizeBytes) {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The runner's exit code for "cannot connect" (docs/architecture.md), the one transient cause. */
  public static final int EXIT_CANNOT_CONNECT = 4;

  /** Parses a termination message; empty when it is not a report (e.g. the tail of a log). */
  public static Optional<RunnerReport> parse(String terminationMessage) {
    if (terminationMessage == null) {
      return Optional.empty();
    }
    String text = terminationMessage.trim();
    if (!text.startsWith("{")) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(text, RunnerReport.class));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  public boolean succeeded() {
    return Boolean.TRUE.equals(ok);
  }

  /** A failure that may go away by itself (the database is restarting, the network is down). */
  public boolean isTransient() {
    return exit != null && exit == EXIT_CANNOT_CONNECT && !"AuthenticationFailed".equals(reason)
        && !"DatabaseNotFound".equals(reason);
  }

  public List<String> revisionsOrEmpty() {
    return revisions == null ? List.of() : revisions;
  }
}
