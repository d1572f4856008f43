package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.BackupStatus;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RunOutcome;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.report.Report;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The change a plan Job found (after an approval, or a periodic re-plan that found drift): refused
 * when it could not be undone as the spec requires; otherwise one change Job (see {@link
 * ChangeJobStep}), or, when spec.backup.image asks for a backup Job of its own, a backup Job then a
 * migrate (up) or undo (down) Job. The Job names derive from the plan's Job, so a restarted
 * operator finds the same Jobs.
 */
final class ChangeStep {
  private ChangeStep() {}

  static StepResult run(FlowContext ctx) {
    var status = ctx.status;
    PlanStatus plan = status.getLastPlan();
    // A schema to adopt (spec.baseline) at the target itself: the migrate writes the baseline
    // alone.
    boolean up = plan.getDirection() == Direction.UP || plan.getBaseline() != null;
    StepResult refused = refusal(ctx, plan, up);
    if (refused != null) {
      return refused;
    }
    if (ApprovalGate.required(ctx)) {
      ApprovalGate.markApproved(ctx);
    }
    Snapshot s = ctx.snapshot;
    String from = Objects.requireNonNullElse(status.getCurrentRevision(), "0");
    if (ChangeJobStep.changesInOneJob(ctx)) {
      // One Job: it plans again, refuses when that is not the approved plan, backs up, changes.
      return ChangeJobStep.startPlanned(ctx, plan, up ? Step.MIGRATE : Step.UNDO, from);
    }
    // spec.backup.image: the backup runs in a Job of its own, in that image; then the change.
    if (ctx.resource().getSpec().getBackup().isEnabled()) {
      String backupJob = JobNames.of(s.name(), s.uid(), Step.BACKUP, plan.getJob());
      StepResult backedUp = BackupStep.ensure(ctx, backupJob, from, null, () -> {});
      if (!backedUp.proceed()) {
        return backedUp;
      }
    }
    Step step = up ? Step.MIGRATE : Step.UNDO;
    String job = JobNames.of(s.name(), s.uid(), step, plan.getJob());
    RunStatus run = status.getLastRun();
    if (run != null && job.equals(run.getJob()) && run.getOutcome() != RunOutcome.RUNNING) {
      // Already harvested; the flow key moves on with the history, so this is only reached on
      // failure.
      return StepResult.waitForEvents();
    }
    String to = status.getTargetRevision();
    Change change = new Change(step, job, from, to);
    return ctx.runJob(
        step,
        job,
        () -> {
          status.setLastRun(RunRecords.running(step, job, null, from, to, ctx.now()));
          return ctx.deps
              .jobs()
              .changeJob(
                  ctx.resource(),
                  job,
                  step,
                  from,
                  to,
                  step == Step.MIGRATE
                      ? PartialRevisionClearance.revisionToClear(ctx)
                      : Optional.empty(),
                  step == Step.MIGRATE ? Adoption.baselineAt(ctx) : Optional.empty());
        },
        state -> succeeded(ctx, change, state, ctx.jobs.duration(job)),
        state -> failed(ctx, change, state, ctx.jobs.duration(job)));
  }

  /**
   * The change cannot be made as the spec asks (no undo script where one is needed): nothing runs.
   */
  static StepResult refusal(FlowContext ctx, PlanStatus plan, boolean up) {
    List<String> undoMissing = plan.getUndoMissing() == null ? List.of() : plan.getUndoMissing();
    String target = ctx.status.getTargetRevision();
    if (!up && !undoMissing.isEmpty()) {
      return ctx.fail(
          Step.PLAN,
          plan.getJob(),
          Reason.UNDO_SCRIPT_MISSING,
          "Cannot go down to revision "
              + target
              + ": no undo script for revision(s) "
              + String.join(", ", undoMissing)
              + ". Nothing was changed.",
          false);
    }
    RollbackSpec rollback = ctx.resource().getSpec().getRollback();
    boolean undoesOnFailedRollout = up && rollback != null && rollback.undoesOnFailedRollout();
    if (undoesOnFailedRollout && plan.getTruncated() != null) {
      return noWayBack(
          ctx,
          plan,
          "the plan lists more revisions than its report holds ("
              + plan.getTruncated()
              + " cut), so Tidemark "
              + "cannot check that each has an undo script for a rollback. Upgrade in smaller steps (a lower "
              + "targetRevision first) or use strategy Restore.");
    }
    if (undoesOnFailedRollout && !undoMissing.isEmpty()) {
      return noWayBack(
          ctx,
          plan,
          "rollback on failed rollout uses Undo, but revision(s) "
              + String.join(", ", undoMissing)
              + " have no "
              + "undo script. Add the U scripts to the image, or use strategy Restore.");
    }
    return null;
  }

  /** An upgrade refused because a failed rollout could not undo it ({@code why}, and the fix). */
  private static StepResult noWayBack(FlowContext ctx, PlanStatus plan, String why) {
    return ctx.fail(
        Step.PLAN,
        plan.getJob(),
        Reason.NO_WAY_BACK,
        "Refusing to migrate to revision "
            + ctx.status.getTargetRevision()
            + ": "
            + why
            + " Nothing was changed.",
        false);
  }

  /**
   * Records a migrate or undo that succeeded; {@code took}: how long the change itself took (a
   * change Job's migrate or undo stage, or the whole migrate or undo Job).
   */
  static StepResult succeeded(FlowContext ctx, Change change, JobState state, Duration took) {
    Step step = change.step();
    String job = change.job();
    String from = change.from();
    Report report = state.report().filter(Report::succeeded).orElse(null);
    if (report == null) {
      return failed(ctx, change, state, took);
    }
    var status = ctx.status;
    List<String> revisions = report.revisionsOrEmpty();
    // A report holds at most 4 KiB: the revisions it could not list are counted in truncated.
    int unlisted = report.truncated == null ? 0 : report.truncated;
    String message =
        (step == Step.MIGRATE ? "Applied " : "Undid ")
            + (revisions.isEmpty() ? "nothing" : String.join(", ", revisions))
            + (unlisted > 0 ? " and " + unlisted + " more" : "")
            + "; now at revision "
            + report.current;
    status.setLastRun(
        RunRecords.finished(runOf(ctx, change), RunOutcome.SUCCEEDED, message, ctx.now()));
    status.setCurrentRevision(report.current);
    status.setTransientFailures(0);
    Adoption.recordIfBaselined(ctx, step, job, report);
    addHistory(ctx, change, report, revisions);
    ctx.deps
        .metrics()
        .changeFinished(
            ctx.resource(),
            step.label(),
            true,
            took,
            step == Step.MIGRATE ? revisions.size() + unlisted : 0);
    ctx.deps
        .events()
        .normal(
            ctx.resource(),
            step == Step.MIGRATE ? Reason.MIGRATED : Reason.UNDONE,
            message + " (from " + from + ")");
    BackupStatus backup = status.getLastBackup();
    status.setRolloutWatch(
        ctx.deps
            .rollouts()
            .afterChange(
                ctx.resource(),
                status.getRolloutWatch(),
                backup == null ? null : backup.getFile(),
                from,
                report.current,
                ctx.now(),
                ctx.deps.workloads()));
    return StepResult.PROCEED;
  }

  /** Records a migrate or undo that failed; {@code took} as for {@link #succeeded}. */
  static StepResult failed(FlowContext ctx, Change change, JobState state, Duration took) {
    Step step = change.step();
    String job = change.job();
    String from = change.from();
    Report report = state.report().orElse(null);
    Reason reason = RunRecords.reasonOf(state, Reason.MIGRATION_FAILED);
    // Only the database knows where a failed change left it: the runner reads it again before it
    // reports. Without that (no report: the runner was killed; or a report that could not read it),
    // the revision is unknown until the next plan, never assumed to be where the change started.
    ctx.status.setCurrentRevision(report == null ? null : report.current);
    String message =
        RunRecords.changeFailedMessage(
            step, from, change.to(), state, ctx.status.getCurrentRevision());
    ctx.status.setLastRun(
        RunRecords.finished(runOf(ctx, change), RunOutcome.FAILED, message, ctx.now()));
    // Revisions that committed before the failure are the database's history too (before the
    // failure is recorded, so that the failure holds the flow this entry is part of).
    Adoption.recordIfBaselined(ctx, step, job, report);
    List<String> committed = report == null ? List.of() : report.revisionsOrEmpty();
    boolean moved = report != null && report.current != null && !report.current.equals(from);
    if (moved && !committed.isEmpty()) {
      addHistory(ctx, change, report, committed);
    }
    ctx.deps
        .metrics()
        .changeFinished(
            ctx.resource(),
            step.label(),
            false,
            took,
            moved && step == Step.MIGRATE ? committed.size() : 0);
    return RevisionReading.after(
        ctx,
        ctx.fail(
            step,
            job,
            reason,
            message,
            RunRecords.isTransient(report),
            report == null ? null : report.failed));
  }

  /** The history entry of the {@code revisions} the change applied or undid. */
  private static void addHistory(
      FlowContext ctx, Change change, Report report, List<String> revisions) {
    ctx.status.setHistory(
        RunRecords.withEntry(
            ctx.status.getHistory(),
            change.step() == Step.MIGRATE ? HistoryAction.APPLIED : HistoryAction.UNDONE,
            change.from(),
            report.current,
            revisions,
            change.job(),
            ctx.now(),
            null));
  }

  /** The run of the change's Job: lastRun when it is that Job's, otherwise a new record of it. */
  static RunStatus runOf(FlowContext ctx, Change change) {
    RunStatus run = ctx.status.getLastRun();
    return run != null && change.job().equals(run.getJob())
        ? run
        : RunRecords.running(
            change.step(),
            change.job(),
            ctx.jobs.find(change.job()).orElse(null),
            change.from(),
            change.to(),
            ctx.now());
  }

  /**
   * A change a Job makes: the step (migrate, undo, or a rollback's), the Job's name, and the
   * revisions it goes from and to.
   */
  record Change(Step step, String job, String from, String to) {}
}
