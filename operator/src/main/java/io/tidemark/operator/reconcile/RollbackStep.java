package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.RollbackSpec.RollbackStrategy;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.RunOutcome;
import io.tidemark.operator.rollout.RolloutGuard;
import io.tidemark.report.Report;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts the schema back to the revision before the upgrade whose rollout failed: Undo (after a
 * backup, like any change) or Restore (the dump taken before the upgrade). Job names derive from
 * the change and the rollback attempt only, so a restart finds them, a new spec or retry value
 * during a rollback does not start a second one, and a retry after a failed one makes new ones.
 */
final class RollbackStep {
  private RollbackStep() {}

  static StepResult run(FlowContext ctx) {
    var status = ctx.status;
    var rollback = ctx.resource().getSpec().getRollback();
    RollbackStrategy strategy =
        rollback == null ? RollbackStrategy.Undo : rollback.strategyOrDefault();
    RolloutWatchStatus watch =
        RolloutGuard.rollingBackWith(status.getRolloutWatch(), strategy.name(), null);
    status.setRolloutWatch(watch);
    String change = watch.getChangedAt() + "|" + watch.getTo();
    String attempt = String.valueOf(watch.getAttempt() == null ? 0 : watch.getAttempt());
    String from = Objects.requireNonNullElse(status.getCurrentRevision(), watch.getTo());
    String to = watch.getFrom();
    boolean restore = strategy == RollbackStrategy.Restore;
    if (restore && watch.getBackupFile() == null) {
      ctx.holdFailedRollback();
      return ctx.fail(
          Step.RESTORE,
          null,
          Reason.ROLLBACK_FAILED,
          "Cannot restore: no backup was recorded before the "
              + "upgrade to revision "
              + watch.getTo()
              + ". The rollout failure: "
              + watch.getMessage(),
          false);
    }
    Snapshot s = ctx.snapshot;
    if (ctx.resource().getSpec().getBackup().isEnabled()) {
      // Like any change, a rollback is backed up first: what was written during the window is not
      // lost.
      String backupJob = JobNames.of(s.name(), s.uid(), Step.BACKUP, "rollback", change, attempt);
      StepResult backedUp =
          BackupStep.ensure(
              ctx,
              backupJob,
              from,
              restore ? watch.getBackupFile() : null,
              ctx::holdFailedRollback);
      if (!backedUp.proceed()) {
        return backedUp;
      }
    }
    Step step = restore ? Step.RESTORE : Step.UNDO;
    String job = JobNames.of(s.name(), s.uid(), step, "rollback", change, attempt);
    String image = ctx.backupImage();
    return ctx.runJob(
        step,
        job,
        () -> {
          status.setRolloutWatch(
              RolloutGuard.rollingBackWith(status.getRolloutWatch(), strategy.name(), job));
          status.setLastRun(RunRecords.running(step, job, null, from, to, ctx.now()));
          return restore
              ? ctx.deps
                  .jobs()
                  .restoreJob(ctx.resource(), job, image, watch.getBackupFile(), from, to)
              : ctx.deps
                  .jobs()
                  .changeJob(
                      ctx.resource(), job, Step.UNDO, from, to, Optional.empty(), Optional.empty());
        },
        state -> succeeded(ctx, step, job, from, state),
        state -> failed(ctx, step, job, from, state));
  }

  static StepResult succeeded(FlowContext ctx, Step step, String job, String from, JobState state) {
    Report report = state.report().filter(Report::succeeded).orElse(null);
    if (report == null) {
      return failed(ctx, step, job, from, state);
    }
    var status = ctx.status;
    FlowKey key = ctx.key();
    RolloutWatchStatus watch = status.getRolloutWatch();
    String current = step == Step.UNDO && report.current != null ? report.current : watch.getFrom();
    status.setCurrentRevision(current);
    status.setLastRun(
        RunRecords.finished(
            ChangeStep.runOf(ctx, new ChangeStep.Change(step, job, from, watch.getFrom())),
            RunOutcome.SUCCEEDED,
            "Rolled back to revision " + current + " after a failed rollout",
            ctx.now()));
    status.setHistory(
        RunRecords.withEntry(
            status.getHistory(),
            step == Step.UNDO ? HistoryAction.UNDONE : HistoryAction.RESTORED,
            from,
            current,
            step == Step.UNDO ? report.revisionsOrEmpty() : null,
            job,
            ctx.now(),
            watch.getMessage()));
    if (step != Step.UNDO) {
      Adoption.forgetIfRestoredBeforeIt(ctx, watch);
    }
    status.setRolloutWatch(RolloutGuard.rolledBack(watch, key.text()));
    ctx.deps.metrics().rollback(watch.getStrategy());
    ctx.deps
        .metrics()
        .changeFinished(ctx.resource(), step.label(), true, ctx.jobs.duration(job), 0);
    ctx.deps
        .events()
        .warning(
            ctx.resource(),
            Reason.ROLLED_BACK,
            "Rolled the schema back from revision "
                + from
                + " to "
                + current
                + " ("
                + watch.getStrategy()
                + ") after a failed rollout: "
                + watch.getMessage());
    return StepResult.PROCEED;
  }

  static StepResult failed(FlowContext ctx, Step step, String job, String from, JobState state) {
    var status = ctx.status;
    Report report = state.report().orElse(null);
    if (report != null && report.current != null) {
      status.setCurrentRevision(report.current);
    }
    RolloutWatchStatus watch = status.getRolloutWatch();
    ctx.holdFailedRollback();
    ctx.deps
        .metrics()
        .changeFinished(ctx.resource(), step.label(), false, ctx.jobs.duration(job), 0);
    String message =
        "Rolling back from revision "
            + from
            + " to "
            + watch.getFrom()
            + " ("
            + watch.getStrategy()
            + ") after a failed rollout failed: "
            + RunRecords.whatHappened(state)
            + (step == Step.RESTORE
                ? " The restore runs in one transaction, so the database is as it was before it."
                : "")
            + " The rollout failure: "
            + watch.getMessage();
    status.setLastRun(
        RunRecords.finished(
            ChangeStep.runOf(ctx, new ChangeStep.Change(step, job, from, watch.getFrom())),
            RunOutcome.FAILED,
            message,
            ctx.now()));
    return ctx.fail(step, job, Reason.ROLLBACK_FAILED, message, false);
  }
}
