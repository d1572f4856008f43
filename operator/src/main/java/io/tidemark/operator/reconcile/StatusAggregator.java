package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.WatchState;
import java.time.Instant;

/**
 * The only writer of the phase and the conditions (Ready, Progressing, Degraded, Drifted): the
 * steps say what happened, this class says how it shows. The reconciler patches the status only
 * when the result is not {@code equals} to the status it started from.
 */
final class StatusAggregator {
  private static final String NO_FAILURE = "No failure.";

  private final DatabaseSchemaStatus status;
  private final long generation;
  private final Instant now;
  private final String specTarget;
  private final Long observedGeneration;

  /**
   * Set while a Ready resource's periodic re-plan runs: it shows nothing until it finds something.
   */
  private boolean quiet;

  StatusAggregator(
      DatabaseSchema resource, DatabaseSchemaStatus status, long generation, Instant now) {
    this.status = status;
    this.generation = generation;
    this.now = now;
    this.specTarget = resource.getSpec().getTargetRevision();
    this.observedGeneration = resource.getMetadata().getGeneration();
  }

  void quiet(boolean quiet) {
    this.quiet = quiet;
  }

  boolean quiet() {
    return quiet;
  }

  /** A Job of {@code step} runs (or was just created) for the flow {@code key}. */
  void progressing(Step step, String message, FlowKey key) {
    if (quiet) {
      return;
    }
    Reason reason =
        switch (step) {
          case PLAN -> Reason.PLANNING;
          case BACKUP -> Reason.BACKING_UP;
          case MIGRATE, CHANGE -> Reason.MIGRATING;
          case UNDO -> Reason.UNDOING;
          case RESTORE -> Reason.RESTORING;
        };
    Phase phase =
        switch (step) {
          case PLAN -> Phase.Planning;
          case BACKUP -> Phase.BackingUp;
          case MIGRATE, UNDO, CHANGE -> Phase.Migrating;
          case RESTORE -> Phase.RollingBack;
        };
    boolean rollingBack =
        status.getRolloutWatch() != null
            && status.getRolloutWatch().getState() == WatchState.FAILED;
    status.setPhase(rollingBack && step != Step.PLAN ? Phase.RollingBack : phase);
    String target = status.getTargetRevision() == null ? specTarget : status.getTargetRevision();
    set(
        Conditions.READY,
        false,
        reason.value(),
        "Bringing the schema to revision " + target + " (" + message + ").");
    set(Conditions.PROGRESSING, true, reason.value(), message);
    if (status.getLastFailure() == null || !key.is(status.getLastFailure().getEpoch())) {
      set(Conditions.DEGRADED, false, Reason.AS_EXPECTED.value(), NO_FAILURE);
    }
  }

  /** A step failed (now, or earlier in this flow): Failed until a new flow or the backoff. */
  void failed(FailureStatus failure) {
    status.setPhase(Phase.Failed);
    set(Conditions.READY, false, failure.getReason(), failure.getMessage());
    set(
        Conditions.PROGRESSING,
        false,
        Reason.FAILED.value(),
        Boolean.TRUE.equals(failure.getTransientFailure())
            ? "Retrying with backoff after: " + failure.getReason()
            : "Stopped: waiting for a new generation or the db.tidemark.io/retry annotation");
    set(Conditions.DEGRADED, true, failure.getReason(), failure.getMessage());
  }

  /**
   * Bad input or a conflict: nothing runs. Returns whether this is news (Degraded changed), worth
   * an Event.
   */
  boolean refused(Phase phase, Reason reason, String message) {
    var before = Conditions.get(status, Conditions.DEGRADED).orElse(null);
    status.setPhase(phase);
    set(Conditions.READY, false, reason.value(), message);
    set(Conditions.PROGRESSING, false, reason.value(), "Nothing runs until this is fixed.");
    set(Conditions.DEGRADED, true, reason.value(), message);
    return !Conditions.same(before, Conditions.get(status, Conditions.DEGRADED).orElse(null));
  }

  /**
   * A planned change waits for a person's approval: not a failure. Returns whether this is news
   * (the Ready condition's message changed), worth an Event.
   */
  boolean awaitingApproval(Reason reason, String message) {
    var before = Conditions.get(status, Conditions.READY).orElse(null);
    status.setPhase(Phase.AwaitingApproval);
    set(Conditions.READY, false, reason.value(), message);
    set(Conditions.PROGRESSING, false, reason.value(), "Waiting for approval.");
    set(Conditions.DEGRADED, false, Reason.AS_EXPECTED.value(), NO_FAILURE);
    return !Conditions.same(before, Conditions.get(status, Conditions.READY).orElse(null));
  }

  void suspended() {
    status.setPhase(Phase.Suspended);
    set(
        Conditions.READY,
        false,
        Reason.SUSPENDED.value(),
        "spec.suspend is true: Tidemark starts no Job for this resource.");
    set(Conditions.PROGRESSING, false, Reason.SUSPENDED.value(), "Suspended.");
    if (Conditions.get(status, Conditions.DEGRADED).isEmpty()) {
      set(Conditions.DEGRADED, false, Reason.AS_EXPECTED.value(), NO_FAILURE);
    }
  }

  /** The watched rollout failed: the rollback is decided, and starts on the next reconcile. */
  void rollingBack(String message) {
    status.setPhase(Phase.RollingBack);
    set(Conditions.PROGRESSING, true, Reason.ROLLING_BACK.value(), message);
  }

  void ready() {
    status.setPhase(Phase.Ready);
    String message =
        "Schema at revision "
            + status.getCurrentRevision()
            + " (target "
            + status.getTargetRevision()
            + ", latest in image "
            + status.getLatestRevision()
            + ").";
    set(Conditions.READY, true, Reason.AT_TARGET_REVISION.value(), message);
    set(Conditions.PROGRESSING, false, Reason.IDLE.value(), "Nothing to do.");
    set(Conditions.DEGRADED, false, Reason.AS_EXPECTED.value(), NO_FAILURE);
  }

  void drifted(boolean drifted, Reason reason, String message) {
    set(Conditions.DRIFTED, drifted, reason.value(), message);
  }

  /** Whether the condition shows True for this reason now. */
  boolean shows(String type, Reason reason) {
    return Conditions.get(status, type)
        .map(c -> "True".equals(c.getStatus()) && reason.value().equals(c.getReason()))
        .orElse(false);
  }

  /** The status as the reconcile leaves it. */
  DatabaseSchemaStatus result() {
    status.setObservedGeneration(observedGeneration);
    if (status.getPhase() == null) {
      status.setPhase(Phase.Pending);
    }
    return status;
  }

  private void set(String type, boolean value, String reason, String message) {
    Conditions.set(status, type, value, reason, message, generation, now);
  }
}
