package io.tidemark.operator.reconcile;

/**
 * The states a DatabaseSchema can be in, in the order {@link FlowStates#decide} checks them: the
 * first that holds is the state. Each maps to one step (see {@link Flow}).
 */
enum FlowState {
  /**
   * A migrate, undo or restore Job is recorded as Running: its result comes first, whatever the
   * spec says now.
   */
  CHANGE_IN_FLIGHT,
  /**
   * A plan or backup Job of an older flow still runs (the spec changed under it): it ends before
   * the next starts.
   */
  JOB_RUNNING,
  /** The spec (or the name) cannot be used: nothing runs. */
  INVALID_SPEC,
  /** An older resource manages the same database: nothing runs. */
  DATABASE_CLAIMED,
  /** spec.suspend: nothing starts. */
  SUSPENDED,
  /**
   * A step of this flow failed, not of a transient cause: held until a new generation or retry
   * value.
   */
  FAILED,
  /** Held after a change that did not say where the database is: one plan reads the revision. */
  READING_REVISION,
  /** A step of this flow failed of a transient cause, and the backoff has not passed. */
  BACKING_OFF,
  /** The backoff after a transient failure has passed: a new attempt, a new flow. */
  RETRY_DUE,
  /** The rollback failed and the retry annotation changed (same generation): roll back again. */
  ROLLBACK_RETRY,
  /** The rollback failed and the spec changed since: the new spec decides. */
  ROLLBACK_SUPERSEDED,
  /** The watched rollout failed: put the schema back. */
  ROLLING_BACK,
  /** This flow has no plan yet, or the Ready schema's periodic re-plan is due. */
  PLAN_DUE,
  /** The plan found nothing to do: Ready, and the rollout of the last change is judged. */
  AT_TARGET,
  /**
   * Rolled back after a failed rollout: no migration until the spec changes or the retry annotation
   * is set.
   */
  HELD_AFTER_ROLLBACK,
  /**
   * The plan goes down (undo scripts) and spec.allowDowngrade is not set: nothing beyond the plan
   * runs.
   */
  DOWNGRADE_NOT_ALLOWED,
  /**
   * spec.approval is Manual and db.tidemark.io/approve does not hold this plan's digest: the change
   * waits.
   */
  AWAITING_APPROVAL,
  /** The plan found revisions to apply or undo: back up, then change. */
  CHANGE_DUE
}
