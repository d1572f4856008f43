package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.tidemark.operator.model.schema.LocalObjectReferenceList;
import io.tidemark.operator.model.schema.ResourceRequirementsSchema;
import io.tidemark.operator.model.schema.TolerationList;
import java.util.List;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;

/** What a platform team tunes on every Job Tidemark creates. Security settings are not tunable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class JobTemplateSpec {
  @Pattern(DatabaseRef.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "ServiceAccount the Job pods run as. Defaults to the namespace's default ServiceAccount; the Jobs need no Kubernetes API access.")
  private String serviceAccountName;

  @SchemaFrom(type = ResourceRequirementsSchema.class)
  @JsonPropertyDescription("CPU and memory requests and limits of the Job containers.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Node labels the Job pods must be scheduled on.")
  private Map<String, String> nodeSelector;

  @SchemaFrom(type = TolerationList.class)
  @JsonPropertyDescription(
      "Tolerations of the Job pods, e.g. to run them on nodes reserved for database tooling.")
  private List<Toleration> tolerations;

  @SchemaFrom(type = LocalObjectReferenceList.class)
  @JsonPropertyDescription(
      "Secrets for pulling the migrations and backup images from a private registry.")
  private List<LocalObjectReference> imagePullSecrets;

  @Min(1)
  @JsonPropertyDescription(
      "Seconds a Job may run before Kubernetes stops it (activeDeadlineSeconds). Default: 600 for plan Jobs, 3600 for backup, migrate, undo and restore Jobs.")
  private Long activeDeadlineSeconds;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription(
      "Retries of a failed Job pod (backoffLimit). Default 0: a failed migration is reported, not re-run blindly.")
  private Integer backoffLimit;

  @Min(300)
  @JsonPropertyDescription(
      "Seconds a finished Job is kept for its logs before Kubernetes deletes it (ttlSecondsAfterFinished); at least 300, so that Tidemark reads a Job's result before it is gone. Default 86400.")
  private Integer ttlSecondsAfterFinished;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Extra labels on the Job pods, e.g. for network policies. Tidemark's own labels win over these.")
  private Map<String, String> labels;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Extra annotations on the Job pods, e.g. for a service mesh. AppArmor and seccomp annotations are refused: the Jobs' Pod security cannot be loosened.")
  private Map<String, String> annotations;
}
