package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The application rollout watched after a change of revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
  @JsonPropertyDescription("Watching, Verified (the rollout completed), Failed (it failed; a rollback follows), RolledBack, RollbackFailed or Expired.")
  private String state;
  @JsonPropertyDescription("Which workload failed and how, or why the watch ended.")
  private String message;

  public String getFrom() { return from; }
  public void setFrom(String from) { this.from = from; }
  public String getTo() { return to; }
  public void setTo(String to) { this.to = to; }
  public String getChangedAt() { return changedAt; }
  public void setChangedAt(String changedAt) { this.changedAt = changedAt; }
  public String getUntil() { return until; }
  public void setUntil(String until) { this.until = until; }
  public String getBackupFile() { return backupFile; }
  public void setBackupFile(String backupFile) { this.backupFile = backupFile; }
  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
