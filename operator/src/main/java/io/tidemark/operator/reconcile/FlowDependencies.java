package io.tidemark.operator.reconcile;

import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.metrics.TidemarkMetrics;
import io.tidemark.operator.rollout.RolloutGuard;
import io.tidemark.operator.rollout.Workloads;

/** What the flow uses besides the snapshot: the outside world, which the unit tests replace. */
record FlowDependencies(
    JobApi api,
    JobFactory jobs,
    Events events,
    TidemarkMetrics metrics,
    OperatorSettings settings,
    RolloutGuard rollouts,
    Workloads workloads) {}
