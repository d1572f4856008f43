package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** A step that failed, and what it needs to run again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
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
}
