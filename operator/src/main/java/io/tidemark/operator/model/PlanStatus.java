package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Objects;

/** The last plan Job's findings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStatus {
  @JsonPropertyDescription("Name of the plan Job.")
  private String job;

  @JsonPropertyDescription("When the plan finished (RFC 3339).")
  private String finishedAt;

  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription("Direction of the change the plan found: up, down or none.")
  private Direction direction;

  @JsonPropertyDescription(
      "SHA-256 digest of the migration scripts in the image, to notice a changed image.")
  private String digest;

  @JsonPropertyDescription("PostgreSQL server version the plan connected to.")
  private String serverVersion;

  @JsonPropertyDescription(
      "The migrations image the plan ran, or configmap/<name> when the scripts come from a ConfigMap.")
  private String image;

  @JsonPropertyDescription(
      "Set when the schema has objects but no history and spec.baseline names a revision: the change adopts the schema at this revision first (currentRevision is then that revision, as declared).")
  private String baseline;

  @JsonPropertyDescription(
      "The rehearsal of the change on a schema-only copy (spec.approval Manual or OnDestructive).")
  private RehearsalStatus rehearsal;

  @JsonPropertyDescription("Revisions of the plan that have no undo script.")
  private java.util.List<String> undoMissing;

  @JsonPropertyDescription(
      "Revisions cut from the plan's list to keep its report small (the list in pendingRevisions is then incomplete).")
  private Integer truncated;

  @JsonPropertyDescription("The metadata.generation the plan was made for.")
  private Long generation;

  @JsonPropertyDescription(
      "What the plan was made for (generation, retry annotation, retry attempt, last change); Tidemark's bookkeeping, so that a restarted operator recomputes the same Job names.")
  private String epoch;

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public Direction getDirection() {
    return direction;
  }

  public void setDirection(Direction direction) {
    this.direction = direction;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getServerVersion() {
    return serverVersion;
  }

  public void setServerVersion(String serverVersion) {
    this.serverVersion = serverVersion;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public RehearsalStatus getRehearsal() {
    return rehearsal;
  }

  public void setRehearsal(RehearsalStatus rehearsal) {
    this.rehearsal = rehearsal;
  }

  public String getBaseline() {
    return baseline;
  }

  public void setBaseline(String baseline) {
    this.baseline = baseline;
  }

  public java.util.List<String> getUndoMissing() {
    return undoMissing;
  }

  public void setUndoMissing(java.util.List<String> undoMissing) {
    this.undoMissing = undoMissing;
  }

  public String getEpoch() {
    return epoch;
  }

  public void setEpoch(String epoch) {
    this.epoch = epoch;
  }

  public Integer getTruncated() {
    return truncated;
  }

  public void setTruncated(Integer truncated) {
    this.truncated = truncated;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PlanStatus that)) {
      return false;
    }
    return Objects.equals(job, that.job)
        && Objects.equals(finishedAt, that.finishedAt)
        && Objects.equals(direction, that.direction)
        && Objects.equals(digest, that.digest)
        && Objects.equals(serverVersion, that.serverVersion)
        && Objects.equals(image, that.image)
        && Objects.equals(baseline, that.baseline)
        && Objects.equals(rehearsal, that.rehearsal)
        && Objects.equals(undoMissing, that.undoMissing)
        && Objects.equals(truncated, that.truncated)
        && Objects.equals(generation, that.generation)
        && Objects.equals(epoch, that.epoch);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        job,
        finishedAt,
        direction,
        digest,
        serverVersion,
        image,
        baseline,
        rehearsal,
        undoMissing,
        truncated,
        generation,
        epoch);
  }
}
