package io.tidemark.operator.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One workload's rollout, read from its status the way `kubectl rollout status` reads it.
 *
 * @param generation metadata.generation now
 * @param failure why its rollout failed (Deployment ProgressDeadlineExceeded, Rollout Degraded), if
 *     it did
 * @param complete the current generation is rolled out and available
 * @param available enough replicas serve right now
 */
public record WorkloadState(
    long generation, Optional<String> failure, boolean complete, boolean available) {

  static WorkloadState of(Deployment d) {
    long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    var status = d.getStatus();
    int replicas =
        d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    if (status == null) {
      return new WorkloadState(generation, Optional.empty(), false, false);
    }
    long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
    Optional<String> failure = Optional.empty();
    boolean availableCondition = false;
    if (status.getConditions() != null) {
      for (DeploymentCondition c : status.getConditions()) {
        if ("Progressing".equals(c.getType())
            && "False".equals(c.getStatus())
            && "ProgressDeadlineExceeded".equals(c.getReason())
            && observed >= generation) {
          failure =
              Optional.of(
                  "Deployment "
                      + d.getMetadata().getName()
                      + " exceeded its progress deadline"
                      + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
        }
        if ("Available".equals(c.getType()) && "True".equals(c.getStatus())) {
          availableCondition = true;
        }
      }
    }
    int updated = n(status.getUpdatedReplicas());
    int availableReplicas = n(status.getAvailableReplicas());
    int total = n(status.getReplicas());
    boolean complete =
        observed >= generation
            && updated >= replicas
            && availableReplicas >= replicas
            && total <= updated;
    boolean available = availableCondition && availableReplicas >= Math.min(replicas, 1);
    return new WorkloadState(generation, failure, complete, available || replicas == 0);
  }

  static WorkloadState of(StatefulSet s) {
    long generation = s.getMetadata().getGeneration() == null ? 0 : s.getMetadata().getGeneration();
    var status = s.getStatus();
    int replicas =
        s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    if (status == null) {
      return new WorkloadState(generation, Optional.empty(), false, replicas == 0);
    }
    long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
    int ready = n(status.getReadyReplicas());
    int updated = n(status.getUpdatedReplicas());
    boolean sameRevision =
        status.getUpdateRevision() == null
            || Objects.equals(status.getCurrentRevision(), status.getUpdateRevision());
    boolean complete =
        observed >= generation && ready >= replicas && updated >= replicas && sameRevision;
    return new WorkloadState(generation, Optional.empty(), complete, ready >= replicas);
  }

  /** An Argo Rollout (argoproj.io/v1alpha1), read without a compile-time dependency. */
  @SuppressWarnings("unchecked")
  static WorkloadState ofRollout(GenericKubernetesResource r) {
    long generation = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    Object statusObject = r.getAdditionalProperties().get("status");
    if (!(statusObject instanceof Map)) {
      return new WorkloadState(generation, Optional.empty(), false, false);
    }
    Map<String, Object> status = (Map<String, Object>) statusObject;
    String phase = String.valueOf(status.get("phase"));
    String message = status.get("message") == null ? "" : " (" + status.get("message") + ")";
    // Argo Rollouts writes observedGeneration as a string; until it matches, the phase is about an
    // older spec.
    boolean current =
        String.valueOf(generation).equals(String.valueOf(status.get("observedGeneration")));
    Optional<String> failure =
        current && "Degraded".equals(phase)
            ? Optional.of("Rollout " + r.getMetadata().getName() + " is Degraded" + message)
            : Optional.empty();
    boolean healthy = current && "Healthy".equals(phase);
    Object specObject = r.getAdditionalProperties().get("spec");
    int replicas = 1;
    if (specObject instanceof Map
        && ((Map<String, Object>) specObject).get("replicas") instanceof Number number) {
      replicas = number.intValue();
    }
    int availableReplicas =
        status.get("availableReplicas") instanceof Number number ? number.intValue() : 0;
    return new WorkloadState(
        generation, failure, healthy, healthy || availableReplicas >= Math.min(replicas, 1));
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }
}
