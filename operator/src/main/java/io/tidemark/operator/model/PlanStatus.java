package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** The last plan Job's findings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
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
}
