package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.RunOutcome;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.operator.model.Timestamps;
import io.tidemark.operator.model.WatchState;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides which {@link FlowState} the resource is in, from the snapshot and the status alone.
 * Nothing here changes anything; it is the one place that reads the status to decide what comes
 * next.
 */
final class FlowStates {
  private FlowStates() {}

  static FlowState decide(FlowContext ctx) {
    DatabaseSchemaStatus status = ctx.status;
    RunStatus run = status.getLastRun();
    if (run != null && run.getOutcome() == RunOutcome.RUNNING && run.getJob() != null) {
      return FlowState.CHANGE_IN_FLIGHT;
    }
    if (ctx.jobs.running().isPresent()) {
      return FlowState.JOB_RUNNING;
    }
    if (!SpecValidator.problems(ctx.resource()).isEmpty()) {
      return FlowState.INVALID_SPEC;
    }
    if (DatabaseClaims.ownerOtherThan(ctx.resource(), ctx.snapshot.sameDatabase()).isPresent()) {
      return FlowState.DATABASE_CLAIMED;
    }
    if (ctx.resource().getSpec().isSuspended()) {
      return FlowState.SUSPENDED;
    }
    FlowKey key = ctx.key();
    FailureStatus failure = status.getLastFailure();
    if (failure != null && key.is(failure.getEpoch())) {
      if (!Boolean.TRUE.equals(failure.getTransientFailure())) {
        return RevisionReading.job(ctx).isPresent() ? FlowState.READING_REVISION : FlowState.FAILED;
      }
      return ctx.now().isBefore(retryAt(ctx)) ? FlowState.BACKING_OFF : FlowState.RETRY_DUE;
    }
    RolloutWatchStatus watch = status.getRolloutWatch();
    WatchState watchState = watch == null ? null : watch.getState();
    if (watchState == WatchState.ROLLBACK_FAILED) {
      return key.sameGeneration(watch.getHeldFor())
          ? FlowState.ROLLBACK_RETRY
          : FlowState.ROLLBACK_SUPERSEDED;
    }
    if (watchState == WatchState.FAILED) {
      return FlowState.ROLLING_BACK;
    }
    if (planJob(ctx).isPresent()) {
      return FlowState.PLAN_DUE;
    }
    if (status.getLastPlan().getDirection() == Direction.NONE
        && status.getLastPlan().getBaseline() == null) {
      return FlowState.AT_TARGET;
    }
    if (watchState == WatchState.ROLLED_BACK && !key.acknowledges(watch.getHeldFor())) {
      return FlowState.HELD_AFTER_ROLLBACK;
    }
    if (status.getLastPlan().getDirection() == Direction.DOWN
        && !ctx.resource().getSpec().downgradesAllowed()) {
      return FlowState.DOWNGRADE_NOT_ALLOWED;
    }
    if (ApprovalGate.required(ctx) && !ApprovalGate.approved(ctx)) {
      return FlowState.AWAITING_APPROVAL;
    }
    return FlowState.CHANGE_DUE;
  }

  /**
   * The plan Job this flow needs, empty when the last plan still holds. A new flow needs a plan; a
   * Ready one needs "the plan after the last plan" every re-plan interval, to notice drift.
   */
  static Optional<String> planJob(FlowContext ctx) {
    FlowKey key = ctx.key();
    PlanStatus last = ctx.status.getLastPlan();
    Snapshot s = ctx.snapshot;
    if (last == null || !key.is(last.getEpoch()) || last.getDirection() == null) {
      return Optional.of(JobNames.of(s.name(), s.uid(), Step.PLAN, key.text()));
    }
    boolean idle = last.getDirection() == Direction.NONE && ctx.status.getLastFailure() == null;
    if (idle
        && !ctx.resource().getSpec().isSuspended()
        && last.getFinishedAt() != null
        && !ctx.now()
            .isBefore(
                Timestamps.parseOr(last.getFinishedAt(), Instant.EPOCH)
                    .plus(ctx.deps.settings().replanInterval()))) {
      return Optional.of(
          JobNames.of(s.name(), s.uid(), Step.PLAN, key.text(), "after", last.getJob()));
    }
    return Optional.empty();
  }

  /**
   * A plan of a Ready resource for the flow it is already Ready in: the periodic re-plan, which
   * stays quiet.
   */
  static boolean periodicReplan(FlowContext ctx) {
    PlanStatus last = ctx.status.getLastPlan();
    return ctx.status.getPhase() == Phase.Ready && last != null && ctx.key().is(last.getEpoch());
  }

  /** When the flow that failed of a transient cause is retried. */
  static Instant retryAt(FlowContext ctx) {
    FailureStatus failure = ctx.status.getLastFailure();
    return Timestamps.parseOr(failure.getAt(), Instant.EPOCH)
        .plus(
            Backoff.after(
                ctx.status.getTransientFailures(), ctx.deps.settings().maxRetryBackoff()));
  }
}
