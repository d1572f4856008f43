package io.tidemark.migrate;

import io.tidemark.report.ExitCode;
import io.tidemark.report.Reason;

/**
 * A failure the runner knows how to explain: it carries the report's reason and, for failures in
 * the middle of a chain, the revision that failed and the one the database is left at.
 */
public class RunnerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Reason reason;
  private final String failedRevision;
  private final String currentRevision;
  private boolean currentUnknown;

  public RunnerException(Reason reason, String message) {
    this(reason, message, null, null, null);
  }

  public RunnerException(Reason reason, String message, Throwable cause) {
    this(reason, message, null, null, cause);
  }

  public RunnerException(
      Reason reason,
      String message,
      String failedRevision,
      String currentRevision,
      Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.failedRevision = failedRevision;
    this.currentRevision = currentRevision;
  }

  public Reason reason() {
    return reason;
  }

  public ExitCode exitCode() {
    return reason.exitCode();
  }

  /** The revision whose script failed, or null. */
  public String failedRevision() {
    return failedRevision;
  }

  /** The revision the database is at after the failure, or null when unknown. */
  public String currentRevision() {
    return currentRevision;
  }

  /**
   * Marks that the revision the database is at could not be read after the failure: the report then
   * leaves {@code current} out rather than repeat the revision read before the change.
   */
  public RunnerException currentUnknown() {
    this.currentUnknown = true;
    return this;
  }

  public boolean isCurrentUnknown() {
    return currentUnknown;
  }
}
