package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.RunOutcome;
import io.tidemark.operator.model.RunStatus;

/**
 * The migrate, undo or restore Job that status.lastRun records as Running: wait while it runs
 * (nothing else starts beside a change), then record its result, whatever the spec says now.
 */
final class ChangeInFlightStep {
  private ChangeInFlightStep() {}

  static StepResult run(FlowContext ctx) {
    RunStatus run = ctx.status.getLastRun();
    Step step = RunRecords.step(run.getAction());
    RolloutWatchStatus watch = ctx.status.getRolloutWatch();
    boolean rollback = watch != null && run.getJob().equals(watch.getRollbackJob());
    Job job = ctx.jobs.findOrFetch(run.getJob()).orElse(null);
    if (job == null) {
      // Deleted by someone, or by its TTL before we saw it end. Its outcome is unknown: never run
      // it blindly again.
      ctx.status.setLastRun(
          RunRecords.finished(
              run,
              RunOutcome.FAILED,
              "The Job disappeared before Tidemark saw it finish.",
              ctx.now()));
      // Unknown until the next plan reads it; not the revision the change started from.
      ctx.status.setCurrentRevision(null);
      if (rollback) {
        ctx.holdFailedRollback();
      }
      return RevisionReading.after(
          ctx,
          ctx.fail(
              step,
              run.getJob(),
              Reason.JOB_DELETED,
              "The "
                  + step.label()
                  + " Job "
                  + run.getJob()
                  + " was deleted before it finished: the database may be at "
                  + RunRecords.anyRevisionBetween(run)
                  + ".",
              false));
    }
    JobState state = ctx.jobs.state(job);
    if (FlowJobs.stepOf(job) == Step.CHANGE && state.kind() != JobState.Kind.RUNNING) {
      return state.kind() == JobState.Kind.CANNOT_START
          ? ChangeJobResult.cannotStart(ctx, job, state)
          : ChangeJobResult.record(ctx, run, job, state);
    }
    return switch (state.kind()) {
      case RUNNING -> {
        ctx.show.progressing(step, FlowContext.running(run.getJob()), ctx.key());
        yield StepResult.recheckAfter(FlowContext.RUNNING_RECHECK);
      }
      case CANNOT_START -> {
        ctx.status.setLastRun(
            RunRecords.finished(run, RunOutcome.FAILED, state.message(), ctx.now()));
        if (rollback) {
          ctx.holdFailedRollback();
        }
        yield ctx.cannotStart(step, run.getJob(), state);
      }
      case SUCCEEDED ->
          rollback
              ? RollbackStep.succeeded(ctx, step, run.getJob(), run.getFrom(), state)
              : ChangeStep.succeeded(
                  ctx, changeOf(step, run), state, ctx.jobs.duration(run.getJob()));
      case FAILED ->
          rollback
              ? RollbackStep.failed(ctx, step, run.getJob(), run.getFrom(), state)
              : ChangeStep.failed(ctx, changeOf(step, run), state, ctx.jobs.duration(run.getJob()));
    };
  }

  /** The migrate or undo {@code run} records. */
  private static ChangeStep.Change changeOf(Step step, RunStatus run) {
    return new ChangeStep.Change(step, run.getJob(), run.getFrom(), run.getTo());
  }
}
