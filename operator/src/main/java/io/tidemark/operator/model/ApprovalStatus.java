package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** status.approval: the plan waiting for (or given) a person's approval (spec.approval Manual). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
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
}
