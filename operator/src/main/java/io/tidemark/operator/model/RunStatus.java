package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Objects;

/** One migrate, undo or restore run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunStatus {
  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription("What ran: Migrate, Undo or Restore.")
  private RunAction action;

  @JsonPropertyDescription("Revision before the run.")
  private String from;

  @JsonPropertyDescription("Revision the run aimed at.")
  private String to;

  @JsonPropertyDescription("Name of the Job.")
  private String job;

  @JsonPropertyDescription("When the Job started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the Job finished (RFC 3339).")
  private String finishedAt;

  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription("Running, Succeeded or Failed.")
  private RunOutcome outcome;

  @JsonPropertyDescription(
      "What the runner reported: the failing revision and PostgreSQL's error, never a secret.")
  private String message;

  public RunAction getAction() {
    return action;
  }

  public void setAction(RunAction action) {
    this.action = action;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public RunOutcome getOutcome() {
    return outcome;
  }

  public void setOutcome(RunOutcome outcome) {
    this.outcome = outcome;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RunStatus that)) {
      return false;
    }
    return Objects.equals(action, that.action)
        && Objects.equals(from, that.from)
        && Objects.equals(to, that.to)
        && Objects.equals(job, that.job)
        && Objects.equals(startedAt, that.startedAt)
        && Objects.equals(finishedAt, that.finishedAt)
        && Objects.equals(outcome, that.outcome)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, from, to, job, startedAt, finishedAt, outcome, message);
  }
}
