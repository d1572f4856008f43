package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One migrate, undo or restore run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunStatus {
  @JsonPropertyDescription("What ran: Migrate, Undo or Restore.")
  private String action;
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
  @JsonPropertyDescription("Running, Succeeded or Failed.")
  private String outcome;
  @JsonPropertyDescription("What the runner reported: the failing revision and PostgreSQL's error, never a secret.")
  private String message;

  public String getAction() { return action; }
  public void setAction(String action) { this.action = action; }
  public String getFrom() { return from; }
  public void setFrom(String from) { this.from = from; }
  public String getTo() { return to; }
  public void setTo(String to) { this.to = to; }
  public String getJob() { return job; }
  public void setJob(String job) { this.job = job; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
