package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** The application rollout watched after a change of revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class RolloutWatchStatus {
  @JsonPropertyDescription("Revision before the change: where a rollback goes.")
  private String from;

  @JsonPropertyDescription("Revision after the change.")
  private String to;

  @JsonPropertyDescription("When the change finished (RFC 3339); the window starts here.")
  private String changedAt;

  @JsonPropertyDescription("When the watch ends (RFC 3339).")
  private String until;

  @JsonPropertyDescription("File of the backup taken before the change, for the Restore strategy.")
  private String backupFile;

  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription(
      "Watching, Verified (the rollout completed), Failed (it failed; a rollback follows), RolledBack, RollbackFailed, Expired, or Superseded (a later change or a new spec replaced it).")
  private WatchState state;

  @JsonPropertyDescription("Which workload failed and how, or why the watch ended.")
  private String message;

  @JsonPropertyDescription(
      "The watched workloads and their metadata.generation when the change finished: only a newer generation's rollout is judged.")
  private java.util.List<WatchedWorkload> workloads;

  @JsonPropertyDescription("Strategy of the rollback, when one ran: Undo or Restore.")
  private String strategy;

  @JsonPropertyDescription("The Job that rolled the schema back.")
  private String rollbackJob;

  @JsonPropertyDescription(
      "Rollback attempts after a failed one (each retry annotation value tries again with new Jobs).")
  private Integer attempt;

  @JsonPropertyDescription(
      "The generation and retry annotation value the rollback holds; Tidemark's bookkeeping (a new generation or retry value releases the hold).")
  private String heldFor;

  public RolloutWatchStatus() {}

  /**
   * A copy, so that a new watch state is a new value and the one read from the resource stays as it
   * was.
   */
  public RolloutWatchStatus(RolloutWatchStatus other) {
    this.from = other.from;
    this.to = other.to;
    this.changedAt = other.changedAt;
    this.until = other.until;
    this.backupFile = other.backupFile;
    this.state = other.state;
    this.message = other.message;
    this.workloads = other.workloads == null ? null : new java.util.ArrayList<>(other.workloads);
    this.strategy = other.strategy;
    this.rollbackJob = other.rollbackJob;
    this.attempt = other.attempt;
    this.heldFor = other.heldFor;
  }

  /** This watch moved to {@code state}, with {@code message} saying why. */
  public RolloutWatchStatus moved(WatchState state, String message) {
    RolloutWatchStatus next = new RolloutWatchStatus(this);
    next.setState(state);
    next.setMessage(message);
    return next;
  }
}
