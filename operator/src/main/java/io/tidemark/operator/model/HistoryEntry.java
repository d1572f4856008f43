package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Objects;

/** A change of revision Tidemark made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {
  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription(
      "Applied (migrate), Undone (undo scripts), Restored (from a backup) or Baselined (an existing schema adopted at the revision in to, spec.baseline).")
  private HistoryAction action;

  @JsonPropertyDescription("Revision before the change.")
  private String from;

  @JsonPropertyDescription("Revision after the change.")
  private String to;

  @JsonPropertyDescription("Revisions applied or undone, in the order they ran.")
  private java.util.List<String> revisions;

  @JsonPropertyDescription("Job that made the change.")
  private String job;

  @JsonPropertyDescription("When the change finished (RFC 3339).")
  private String at;

  @JsonPropertyDescription("Why, for a rollback.")
  private String reason;

  public HistoryAction getAction() {
    return action;
  }

  public void setAction(HistoryAction action) {
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

  public java.util.List<String> getRevisions() {
    return revisions;
  }

  public void setRevisions(java.util.List<String> revisions) {
    this.revisions = revisions;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof HistoryEntry that)) {
      return false;
    }
    return Objects.equals(action, that.action)
        && Objects.equals(from, that.from)
        && Objects.equals(to, that.to)
        && Objects.equals(revisions, that.revisions)
        && Objects.equals(job, that.job)
        && Objects.equals(at, that.at)
        && Objects.equals(reason, that.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, from, to, revisions, job, at, reason);
  }
}
