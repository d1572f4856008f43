package io.tidemark.operator.rollout;

import io.tidemark.operator.model.WorkloadRef;
import java.util.Optional;

/** Where the guard reads the watched workloads from: the informers' caches, in the reconciler. */
public interface Workloads {
  /** The workload's rollout state now; empty when it does not exist. */
  Optional<WorkloadState> find(String namespace, WorkloadRef ref);
}
