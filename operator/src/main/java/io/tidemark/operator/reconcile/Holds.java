package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.rollout.RolloutGuard;
import java.time.Duration;
import java.util.List;

/**
 * The states in which no Job starts: something runs already, the spec or a rival forbids it, a
 * failure holds the flow, or a rolled-back schema waits for a person. Each says why and waits; the
 * retries move the flow on.
 */
final class Holds {
  private Holds() {}

  /** A plan or backup of an older flow runs: let it end before the next one starts. */
  static StepResult jobRunning(FlowContext ctx) {
    Job job = ctx.jobs.running().orElseThrow();
    if (RevisionReading.job(ctx).filter(job.getMetadata().getName()::equals).isPresent()) {
      // The plan that reads the revision after a held failure: the resource is still Failed.
      showFailure(ctx);
      return StepResult.recheckAfter(FlowContext.RUNNING_RECHECK);
    }
    Step step = FlowJobs.stepOf(job);
    if (!(step == Step.PLAN && FlowStates.periodicReplan(ctx))) {
      ctx.show.progressing(step, FlowContext.running(job.getMetadata().getName()), ctx.key());
    }
    return StepResult.recheckAfter(FlowContext.RUNNING_RECHECK);
  }

  static StepResult invalidSpec(FlowContext ctx) {
    return refuse(
        ctx,
        Phase.Failed,
        Reason.INVALID_SPEC,
        "Invalid spec, nothing runs: "
            + String.join("; ", SpecValidator.problems(ctx.resource()))
            + ".",
        null,
        true);
  }

  static StepResult databaseClaimed(FlowContext ctx) {
    DatabaseSchema r = ctx.resource();
    DatabaseSchema owner =
        DatabaseClaims.ownerOtherThan(r, ctx.snapshot.sameDatabase()).orElseThrow();
    return refuse(
        ctx,
        Phase.Blocked,
        Reason.DATABASE_CLAIMED,
        "Database "
            + DatabaseClaims.key(r.getSpec().getDatabase(), r.getMetadata().getNamespace())
            + " is already managed by DatabaseSchema "
            + owner.getMetadata().getNamespace()
            + "/"
            + owner.getMetadata().getName()
            + "; two resources never migrate one database. Delete one of them, or point "
            + "this one at another database.",
        ctx.deps.settings().blockedRecheck(),
        true);
  }

  static StepResult suspended(FlowContext ctx) {
    ctx.show.suspended();
    return StepResult.waitForEvents();
  }

  /** A step of this flow failed for good: shown until a new generation or retry value. */
  static StepResult failed(FlowContext ctx) {
    showFailure(ctx);
    return StepResult.waitForEvents();
  }

  /** A step of this flow failed of a transient cause: shown until the backoff has passed. */
  static StepResult backingOff(FlowContext ctx) {
    showFailure(ctx);
    return StepResult.recheckAfter(Duration.between(ctx.now(), FlowStates.retryAt(ctx)));
  }

  /**
   * The backoff has passed: a new attempt is a new flow, with new Job names, so nothing of the
   * failed one is reused.
   */
  static StepResult retry(FlowContext ctx) {
    ctx.jobs.deleteIfCannotStart(ctx.status.getLastFailure().getJob());
    ctx.status.setAttempt((ctx.status.getAttempt() == null ? 0 : ctx.status.getAttempt()) + 1);
    return StepResult.PROCEED;
  }

  /** The retry annotation after a failed rollback means: try the rollback again (new Job names). */
  static StepResult retryRollback(FlowContext ctx) {
    ctx.status.setRolloutWatch(RolloutGuard.retried(ctx.status.getRolloutWatch()));
    return StepResult.PROCEED;
  }

  /**
   * A new spec after a failed rollback is the person's decision about where the schema goes now.
   */
  static StepResult rollbackSuperseded(FlowContext ctx) {
    ctx.status.setRolloutWatch(RolloutGuard.supersededBySpec(ctx.status.getRolloutWatch()));
    return StepResult.PROCEED;
  }

  /** Rolled back after a failed rollout; the RolledBack Event was written when it happened. */
  static StepResult heldAfterRollback(FlowContext ctx) {
    RolloutWatchStatus watch = ctx.status.getRolloutWatch();
    return refuse(
        ctx,
        Phase.Blocked,
        Reason.ROLLED_BACK,
        "Rolled back from revision "
            + watch.getTo()
            + " to "
            + watch.getFrom()
            + " ("
            + watch.getStrategy()
            + ") after a failed rollout: "
            + watch.getMessage()
            + " No migration runs until the spec changes or the db.tidemark.io/retry annotation is set.",
        null,
        false);
  }

  /**
   * The plan would run undo scripts, which drop what later revisions added (columns, tables, with
   * their data), and nobody allowed a downgrade: shown, announced once, and nothing runs until the
   * spec changes.
   */
  static StepResult downgradeNotAllowed(FlowContext ctx) {
    var status = ctx.status;
    List<String> undo =
        status.getPendingRevisions() == null ? List.of() : status.getPendingRevisions();
    return refuse(
        ctx,
        Phase.Blocked,
        Reason.DOWNGRADE_NOT_ALLOWED,
        "The target revision "
            + status.getTargetRevision()
            + " is below the current revision "
            + status.getCurrentRevision()
            + ": reaching it would run the undo scripts of "
            + (undo.size() == 1 ? "revision " : "revisions ")
            + RunRecords.listed(undo)
            + ", which may drop columns and tables with their data. Nothing ran. To downgrade, set"
            + " spec.allowDowngrade to true (a backup is taken first); otherwise set"
            + " spec.targetRevision back to "
            + status.getCurrentRevision()
            + " or later.",
        null,
        true);
  }

  private static void showFailure(FlowContext ctx) {
    FailureStatus failure = ctx.status.getLastFailure();
    ctx.jobs.deleteIfCannotStart(failure.getJob());
    ctx.show.failed(failure);
  }

  /** Nothing runs; the reason is shown, and (when {@code announce}) an Event says so once. */
  private static StepResult refuse(
      FlowContext ctx,
      Phase phase,
      Reason reason,
      String message,
      Duration recheck,
      boolean announce) {
    if (ctx.show.refused(phase, reason, message) && announce) {
      ctx.deps.events().warning(ctx.resource(), reason, message);
    }
    return recheck == null ? StepResult.waitForEvents() : StepResult.recheckAfter(recheck);
  }
}
