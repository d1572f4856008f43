package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** status.approval: the plan waiting for (or given) a person's approval (spec.approval Manual). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalStatus {
  @JsonPropertyDescription(
      "Digest of the plan (image, migration scripts, from, to, revisions): approve it with the annotation db.tidemark.io/approve=<digest>. A new image or target makes a new plan with a new digest.")
  private String digest;

  @JsonPropertyDescription("Revision the change starts from.")
  private String from;

  @JsonPropertyDescription("Revision the change goes to.")
  private String to;

  @JsonPropertyDescription("up (migrate) or down (undo scripts).")
  private String direction;

  @JsonPropertyDescription("The revisions the change applies or undoes, in order.")
  private List<String> revisions;

  @JsonPropertyDescription(
      "What the revisions do that is destructive, from the plan's rehearsal; empty when it found nothing, unset when it did not run.")
  private List<DestructiveChange> destructive;

  @JsonPropertyDescription("The migrations image of the plan.")
  private String image;

  @JsonPropertyDescription("When the plan started waiting for approval (RFC 3339).")
  private String requestedAt;

  @JsonPropertyDescription("When the approval of this digest was seen and the change started.")
  private String approvedAt;

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
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

  public String getDirection() {
    return direction;
  }

  public void setDirection(String direction) {
    this.direction = direction;
  }

  public List<String> getRevisions() {
    return revisions;
  }

  public void setRevisions(List<String> revisions) {
    this.revisions = revisions;
  }

  public List<DestructiveChange> getDestructive() {
    return destructive;
  }

  public void setDestructive(List<DestructiveChange> destructive) {
    this.destructive = destructive;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getRequestedAt() {
    return requestedAt;
  }

  public void setRequestedAt(String requestedAt) {
    this.requestedAt = requestedAt;
  }

  public String getApprovedAt() {
    return approvedAt;
  }

  public void setApprovedAt(String approvedAt) {
    this.approvedAt = approvedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApprovalStatus that
        && Objects.equals(digest, that.digest)
        && Objects.equals(from, that.from)
        && Objects.equals(to, that.to)
        && Objects.equals(direction, that.direction)
        && Objects.equals(revisions, that.revisions)
        && Objects.equals(destructive, that.destructive)
        && Objects.equals(image, that.image)
        && Objects.equals(requestedAt, that.requestedAt)
        && Objects.equals(approvedAt, that.approvedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        digest, from, to, direction, revisions, destructive, image, requestedAt, approvedAt);
  }
}
