package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** A Deployment, StatefulSet or Argo Rollout in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class WorkloadRef {
  @Required
  @JsonPropertyDescription(
      "Kind of the workload: Deployment, StatefulSet, or Rollout (Argo Rollouts, argoproj.io/v1alpha1).")
  private WorkloadKind kind;

  @Required
  @Pattern(DatabaseRef.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription("Name of the workload in the resource's namespace.")
  private String name;

  /** Workload kinds whose rollouts Tidemark understands. */
  public enum WorkloadKind {
    Deployment,
    StatefulSet,
    Rollout
  }
}
