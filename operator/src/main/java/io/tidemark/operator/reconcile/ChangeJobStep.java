package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.operator.model.WatchState;

/**
 * The change in one Job: the runner's change command plans, makes the checks the spec asks for (no
 * downgrade unless allowed, an undo script for each revision a rollback by undo would need, the
 * approved plan), backs up into the claim and migrates or undoes, in one Pod; {@link
 * ChangeJobResult} records its report stage by stage. No confirming plan runs after it: the report
 * says where the database ends.
 *
 * <p>While it runs, status.lastRun records it as Running (action Change until it is known to
 * migrate or undo), so that its result is recorded whatever the spec says by then, once, also by an
 * operator restarted in between. The Job carries the flow it was started in and the lastRun before
 * it in annotations.
 */
final class ChangeJobStep {
  private ChangeJobStep() {}

  /**
   * Whether this flow's plan can go straight on to its change in the same Job: nobody has to look
   * in between (no approval, which needs the plan first), it is not the quiet periodic re-plan of a
   * Ready schema, no rollback holds the schema, and the backup needs no image of its own.
   */
  static boolean fitsOneJob(FlowContext ctx) {
    var spec = ctx.resource().getSpec();
    if (!changesInOneJob(ctx)
        || FlowStates.periodicReplan(ctx)
        || spec.rehearses()
        || spec.isSuspended()) {
      return false;
    }
    RolloutWatchStatus watch = ctx.status.getRolloutWatch();
    return watch == null
        || watch.getState() != WatchState.ROLLED_BACK
        || ctx.key().acknowledges(watch.getHeldFor());
  }

  /**
   * A change (backup included) can run in one Job: the operator allows it and no spec.backup.image
   * asks for a backup Job of its own.
   */
  static boolean changesInOneJob(FlowContext ctx) {
    var backup = ctx.resource().getSpec().getBackup();
    return ctx.deps.settings().oneJobChanges()
        && (!backup.isEnabled() || backup.getImage() == null);
  }

  /** A new flow's change Job: it plans first, so what it does is known only from its report. */
  static StepResult start(FlowContext ctx) {
    Snapshot s = ctx.snapshot;
    String job = JobNames.of(s.name(), s.uid(), Step.CHANGE, ctx.key().text());
    String target = ctx.resource().getSpec().getTargetRevision();
    return run(
        ctx,
        job,
        RunAction.CHANGE,
        ctx.status.getCurrentRevision(),
        target == null || target.isBlank() ? "latest" : target,
        null,
        null);
  }

  /**
   * The change of a plan already made (after an approval, or a re-plan that found drift): the Job
   * plans again and refuses to go on when it is not the approved plan.
   */
  static StepResult startPlanned(FlowContext ctx, PlanStatus plan, Step step, String from) {
    Snapshot s = ctx.snapshot;
    String job = JobNames.of(s.name(), s.uid(), Step.CHANGE, plan.getJob());
    boolean approval = ApprovalGate.required(ctx);
    return run(
        ctx,
        job,
        RunRecords.action(step),
        from,
        ctx.status.getTargetRevision(),
        approval ? plan.getDigest() : null,
        approval ? ctx.status.getCurrentRevision() : null);
  }

  private static StepResult run(
      FlowContext ctx,
      String job,
      RunAction action,
      String from,
      String to,
      String expectDigest,
      String expectFrom) {
    var status = ctx.status;
    RunStatus previous = status.getLastRun();
    if (previous != null && job.equals(previous.getJob())) {
      // Already recorded: never run twice.
      return StepResult.waitForEvents();
    }
    // The run the Job makes, Migrate or Undo from the start (the report may say nothing changed).
    RunStatus running = RunRecords.running(Step.CHANGE, job, null, from, to, ctx.now());
    running.setAction(action);
    if (ctx.jobs.find(job).isPresent()) {
      // Created by an operator stopped before it wrote the status: taken on as the change in
      // flight.
      status.setLastRun(running);
      return StepResult.PROCEED;
    }
    var spec = ctx.resource().getSpec();
    JobFactory.ChangeChecks checks =
        new JobFactory.ChangeChecks(
            spec.downgradesAllowed(),
            // A failed rollout rolled back by undo: every revision applied needs its undo script.
            spec.getRollback() != null && spec.getRollback().undoesOnFailedRollout(),
            expectDigest,
            expectFrom,
            ctx.resource().getSpec().getBackup().isEnabled(),
            previous == null ? null : Serialization.asJson(previous),
            ctx.key().text());
    return ctx.runJob(
        Step.CHANGE,
        job,
        () -> {
          // Recorded before the Job exists: its result is then never lost to a spec that
          // changes while it runs (a refused Job puts the run before back).
          status.setLastRun(running);
          return ctx.deps
              .jobs()
              .changeCommandJob(
                  ctx.resource(),
                  job,
                  PartialRevisionClearance.revisionToClear(ctx),
                  Adoption.baselineAt(ctx),
                  checks);
        },
        // Recorded when the resource is next reconciled, as the change in flight it now is.
        state -> StepResult.PROCEED,
        state -> StepResult.PROCEED);
  }
}
