package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** status.baseline: when Tidemark adopted the existing schema, at which revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BaselineStatus {
  @JsonPropertyDescription("The revision the schema was adopted at (spec.baseline.revision).")
  private String revision;

  @JsonPropertyDescription("When the baseline was recorded (RFC 3339).")
  private String at;

  @JsonPropertyDescription("The migrate Job that recorded it.")
  private String job;

  public static BaselineStatus of(String revision, String at, String job) {
    BaselineStatus b = new BaselineStatus();
    b.revision = revision;
    b.at = at;
    b.job = job;
    return b;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BaselineStatus that
        && Objects.equals(revision, that.revision)
        && Objects.equals(at, that.at)
        && Objects.equals(job, that.job);
  }

  @Override
  public int hashCode() {
    return Objects.hash(revision, at, job);
  }
}
