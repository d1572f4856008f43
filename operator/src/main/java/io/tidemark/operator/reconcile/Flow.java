package io.tidemark.operator.reconcile;

import java.time.Duration;

/**
 * One reconcile of one DatabaseSchema: decide the state, run its step, and go on while steps finish
 * (a plan, then a backup, then a change), until one has to wait.
 *
 * <p>Everything is derived from the status and the Jobs that exist, and every Job name from the
 * status as it was before the Job existed; so an operator restarted between any two steps decides
 * the same state, computes the same Job name, and finds the Job rather than creating a second one.
 */
final class Flow {
  /** A bound, not a budget: a full flow (retry, plan, backup, change) takes five steps. */
  static final int MAX_STEPS = 12;

  private Flow() {}

  /** Runs steps until one has to wait; returns when to look again (null: on the next event). */
  static Duration run(FlowContext ctx) {
    for (int i = 0; i < MAX_STEPS; i++) {
      StepResult result = step(ctx, FlowStates.decide(ctx));
      if (!result.proceed()) {
        return result.recheckAfter();
      }
    }
    return Duration.ofSeconds(1);
  }

  static StepResult step(FlowContext ctx, FlowState state) {
    return switch (state) {
      case CHANGE_IN_FLIGHT -> ChangeInFlightStep.run(ctx);
      case JOB_RUNNING -> Holds.jobRunning(ctx);
      case INVALID_SPEC -> Holds.invalidSpec(ctx);
      case DATABASE_CLAIMED -> Holds.databaseClaimed(ctx);
      case SUSPENDED -> Holds.suspended(ctx);
      case FAILED -> Holds.failed(ctx);
      case READING_REVISION -> {
        // The failure still holds; the plan Job reads where it left the database.
        RevisionReading.read(ctx, RevisionReading.job(ctx).orElseThrow());
        yield Holds.failed(ctx);
      }
      case BACKING_OFF -> Holds.backingOff(ctx);
      case RETRY_DUE -> Holds.retry(ctx);
      case ROLLBACK_RETRY -> Holds.retryRollback(ctx);
      case ROLLBACK_SUPERSEDED -> Holds.rollbackSuperseded(ctx);
      case ROLLING_BACK -> RollbackStep.run(ctx);
      case PLAN_DUE -> PlanStep.run(ctx, FlowStates.planJob(ctx).orElseThrow());
      case AT_TARGET -> ReadyStep.run(ctx);
      case HELD_AFTER_ROLLBACK -> Holds.heldAfterRollback(ctx);
      case DOWNGRADE_NOT_ALLOWED -> Holds.downgradeNotAllowed(ctx);
      case AWAITING_APPROVAL -> ApprovalGate.await(ctx);
      case CHANGE_DUE -> ChangeStep.run(ctx);
    };
  }
}
