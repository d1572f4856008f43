package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.metrics.TidemarkMetrics;
import io.tidemark.operator.rollout.RolloutGuard;
import io.tidemark.operator.rollout.Workloads;

/** What the flow uses besides the resource itself. */
record FlowDependencies(
    KubernetesClient client,
    JobFactory jobs,
    EventRecorder events,
    TidemarkMetrics metrics,
    OperatorSettings settings,
    RolloutGuard rollouts,
    Workloads workloads,
    java.util.function.Consumer<io.fabric8.kubernetes.api.model.batch.v1.Job> jobCreated) {}
