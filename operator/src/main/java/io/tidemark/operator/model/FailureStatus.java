package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A step that failed, and what it needs to run again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailureStatus {
  @JsonPropertyDescription("Step that failed: plan, backup, migrate, undo or restore.")
  private String step;

  @JsonPropertyDescription("Job that failed.")
  private String job;

  @JsonPropertyDescription(
      "Why, in one word (e.g. MigrationFailed, ValidationFailed, ConnectionFailed, ImagePullFailed).")
  private String reason;

  @JsonPropertyDescription("What failed and what to do; never a secret.")
  private String message;

  @JsonPropertyDescription("When the failure was seen (RFC 3339).")
  private String at;

  @JsonPropertyDescription(
      "True when the cause may clear by itself (cannot connect): Tidemark retries with capped backoff.")
  private Boolean transientFailure;

  @JsonPropertyDescription("The flow the failure belongs to; Tidemark's bookkeeping.")
  private String epoch;

  @JsonPropertyDescription(
      "The revision whose script failed, when the runner named one. For reason RevisionFailedPartway, the revision the next flow (a new generation or retry value) clears with its undo script before it migrates again.")
  private String revision;

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }

  public Boolean getTransientFailure() {
    return transientFailure;
  }

  public void setTransientFailure(Boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  public String getEpoch() {
    return epoch;
  }

  public void setEpoch(String epoch) {
    this.epoch = epoch;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FailureStatus that)) {
      return false;
    }
    return Objects.equals(step, that.step)
        && Objects.equals(job, that.job)
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message)
        && Objects.equals(at, that.at)
        && Objects.equals(transientFailure, that.transientFailure)
        && Objects.equals(epoch, that.epoch)
        && Objects.equals(revision, that.revision);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, job, reason, message, at, transientFailure, epoch, revision);
  }
}
