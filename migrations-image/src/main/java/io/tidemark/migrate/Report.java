package io.tidemark.migrate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The outcome of one command, written with --report as compact JSON of at most 4096 bytes (a
 * Kubernetes termination message). Field names and meanings are the contract of version 1; see
 * docs/runner-report.md. Null fields are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "v", "command", "ok", "exit", "reason", "message", "current", "target", "latest", "direction",
  "revisions", "undoMissing", "truncated", "failed", "server", "digest", "ms"
})
public final class Report {
  public static final int VERSION = 1;

  public int v = VERSION;
  public String command;
  public boolean ok;
  public int exit;
  public String reason;
  public String message;
  public String current;
  public String target;
  public String latest;
  public String direction;
  public List<String> revisions;
  public List<String> undoMissing;
  public Integer truncated;
  public String failed;
  public String server;
  public String digest;
  public Long ms;

  /** Sets revisions and undoMissing together; the writer trims both when they do not fit. */
  public void revisions(List<String> revisions, List<String> undoMissing) {
    this.revisions = List.copyOf(revisions);
    this.undoMissing = List.copyOf(undoMissing);
    this.truncated = 0;
  }

  public void succeed() {
    ok = true;
    exit = ExitCode.OK.code();
    reason = null;
    message = null;
  }

  public void fail(RunnerException e) {
    ok = false;
    exit = e.exitCode().code();
    reason = e.reason().name();
    message = Messages.normalize(e.getMessage());
    if (e.failedRevision() != null) {
      failed = e.failedRevision();
    }
    if (e.currentRevision() != null) {
      current = e.currentRevision();
    } else if (e.isCurrentUnknown()) {
      current = null;
    }
  }
}
