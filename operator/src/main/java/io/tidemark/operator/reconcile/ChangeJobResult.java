package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.BackupStatus;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.report.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a finished change Job did, from its report, stage by stage: recorded as the plan, backup and
 * migrate Jobs' reports were (status.lastPlan, lastBackup, lastRun, the history, Events, metrics),
 * and the database's final state as the plan after it. A change Job that changed nothing puts
 * status.lastRun back as it was before the Job (its annotation holds it).
 */
final class ChangeJobResult {
  private ChangeJobResult() {}

  /** Records a finished change Job from its report, stage by stage. */
  static StepResult record(FlowContext ctx, RunStatus run, Job job, JobState state) {
    Report report = state.report().filter(r -> "change".equals(r.command)).orElse(null);
    String name = run.getJob();
    if (report == null) {
      return noReport(ctx, run, state);
    }
    FlowKey key = ctx.key();
    // The flow the Job was started in: its plan is that flow's, not a newer spec's.
    FlowKey jobKey = flowOf(job).orElse(key);
    // A spec changed while it ran: what it refused or failed to do before changing anything is
    // not the new spec's failure; the new flow plans for itself.
    boolean superseded = !jobKey.equals(key);
    Optional<Report.Stage> plan = report.stage(Report.Stage.PLAN);
    if (plan.isEmpty() || !plan.get().ok) {
      putBackPreviousRun(ctx, job);
      return superseded ? StepResult.PROCEED : planStopped(ctx, name, jobKey, report, state);
    }
    PlanStatus judged = ctx.status.getLastPlan();
    PlanStep.record(ctx, name, jobKey, planned(report), !changed(report));
    keepRehearsal(ctx.status.getLastPlan(), judged, jobKey);
    Optional<Report.Stage> backup = report.stage(Report.Stage.BACKUP);
    if (backup.isPresent()) {
      Duration took = Duration.ofMillis(Objects.requireNonNullElse(backup.get().ms, 0L));
      ctx.deps.metrics().backupFinished(backup.get().ok, took);
      if (!backup.get().ok) {
        putBackPreviousRun(ctx, job);
        if (superseded) {
          return StepResult.PROCEED;
        }
        return ctx.fail(
            Step.BACKUP,
            name,
            Reason.BACKUP_FAILED,
            "Backup failed, so no migration ran: " + RunRecords.whatHappened(state),
            false);
      }
      recordBackup(ctx, name, report);
    }
    Optional<Report.Stage> change =
        report.stage(Report.Stage.MIGRATE).or(() -> report.stage(Report.Stage.UNDO));
    if (change.isEmpty()) {
      putBackPreviousRun(ctx, job);
      if (!report.succeeded()) {
        return ctx.fail(
            Step.CHANGE,
            name,
            RunRecords.reasonOf(state, Reason.JOB_FAILED),
            "The change Job failed before changing anything: " + RunRecords.whatHappened(state),
            RunRecords.isTransient(report));
      }
      return StepResult.PROCEED;
    }
    Step step = Report.Stage.UNDO.equals(change.get().name) ? Step.UNDO : Step.MIGRATE;
    String from = Objects.requireNonNullElse(report.from, "0");
    String to = report.target;
    RunStatus known = RunRecords.running(step, name, job, from, to, ctx.now());
    known.setStartedAt(run.getStartedAt());
    ctx.status.setLastRun(known);
    JobState changeState =
        new JobState(
            state.kind(),
            state.reason(),
            state.message(),
            Optional.of(applied(report, change.get())));
    var done = new ChangeStep.Change(step, name, from, to);
    Duration changeTook = Duration.ofMillis(Objects.requireNonNullElse(change.get().ms, 0L));
    if (!change.get().ok || !report.succeeded()) {
      return ChangeStep.failed(ctx, done, changeState, changeTook);
    }
    StepResult result = ChangeStep.succeeded(ctx, done, changeState, changeTook);
    if (superseded) {
      // Started for an earlier spec: the current one gets its own plan.
      return result;
    }
    // Where the change left the database is the plan after it: no confirming plan Job.
    PlanStatus after =
        RunRecords.plan(
            atTarget(report),
            name,
            ctx.key(),
            ctx.snapshot.generation(),
            ctx.now(),
            ctx.resource().getSpec().getMigrations().source());
    keepRehearsal(after, judged, jobKey);
    ctx.status.setLastPlan(after);
    ctx.status.setPendingRevisions(new ArrayList<>());
    ctx.status.setLatestRevision(report.latest);
    ctx.status.setTargetRevision(report.target);
    return result;
  }

  /** The Pod cannot start (an image, a Secret): nothing ran; retried with backoff. */
  static StepResult cannotStart(FlowContext ctx, Job job, JobState state) {
    putBackPreviousRun(ctx, job);
    return ctx.cannotStart(Step.CHANGE, job.getMetadata().getName(), state);
  }

  /**
   * The rehearsal of the plan Job this change followed (with an approval policy) stays with the
   * plans that record the change: it is what the change was judged by.
   */
  private static void keepRehearsal(PlanStatus plan, PlanStatus judged, FlowKey flow) {
    if (plan != null
        && plan.getRehearsal() == null
        && judged != null
        && judged.getRehearsal() != null
        && flow.is(judged.getEpoch())) {
      plan.setRehearsal(judged.getRehearsal());
    }
  }

  /** The flow key the Job was started in, from its annotation. */
  private static Optional<FlowKey> flowOf(Job job) {
    var annotations = job == null ? null : job.getMetadata().getAnnotations();
    return FlowKey.parse(annotations == null ? null : annotations.get(JobFactory.ANNOTATION_FLOW));
  }

  /** The plan stage stopped: a refusal before anything changed, or a plan that failed. */
  private static StepResult planStopped(
      FlowContext ctx, String name, FlowKey key, Report report, JobState state) {
    Reason reason = RunRecords.reasonOf(state, Reason.JOB_FAILED);
    boolean refusal =
        report.direction != null
            && (reason == Reason.DOWNGRADE_NOT_ALLOWED
                || reason == Reason.UNDO_SCRIPT_MISSING
                || reason == Reason.NO_WAY_BACK
                || reason == Reason.PLAN_CHANGED);
    if (!refusal) {
      return PlanStep.failed(ctx, name, key, state);
    }
    // The plan itself is known: recorded, so that the state it leads to says it as before.
    PlanStep.record(ctx, name, key, planned(report), true);
    PlanStatus plan = ctx.status.getLastPlan();
    return switch (reason) {
      // The DowngradeNotAllowed hold follows from the plan.
      case DOWNGRADE_NOT_ALLOWED ->
          ctx.resource().getSpec().downgradesAllowed()
              ? refused(ctx, name, reason, report)
              : StepResult.PROCEED;
      case PLAN_CHANGED ->
          ApprovalGate.required(ctx) && !ApprovalGate.approved(ctx)
              ? StepResult.PROCEED // the new plan waits for its own approval
              : refused(ctx, name, reason, report);
      default -> {
        StepResult refused = ChangeStep.refusal(ctx, plan, plan.getDirection() != Direction.DOWN);
        yield refused != null ? refused : refused(ctx, name, reason, report);
      }
    };
  }

  private static StepResult refused(FlowContext ctx, String name, Reason reason, Report report) {
    return ctx.fail(
        Step.PLAN, name, reason, "The change was refused: " + report.message + ".", false);
  }

  /** No report: the runner was killed or never started; the database may be anywhere. */
  private static StepResult noReport(FlowContext ctx, RunStatus run, JobState state) {
    String message =
        "The change Job "
            + run.getJob()
            + " ended without a report ("
            + RunRecords.whatHappened(state)
            + "): the database may be at "
            + RunRecords.anyRevisionBetween(run)
            + "; a plan reads where it is.";
    ctx.status.setLastRun(
        RunRecords.finished(run, io.tidemark.operator.model.RunOutcome.FAILED, message, ctx.now()));
    ctx.status.setCurrentRevision(null);
    if (run.getAction() == RunAction.MIGRATE || run.getAction() == RunAction.UNDO) {
      // Only a change whose direction was known from an earlier plan counts as a failed one.
      ctx.deps
          .metrics()
          .changeFinished(
              ctx.resource(),
              RunRecords.step(run.getAction()).label(),
              false,
              ctx.jobs.duration(run.getJob()),
              0);
    }
    return RevisionReading.after(
        ctx,
        ctx.fail(
            Step.CHANGE,
            run.getJob(),
            RunRecords.reasonOf(state, Reason.JOB_FAILED),
            message,
            false));
  }

  private static void recordBackup(FlowContext ctx, String name, Report report) {
    BackupStatus b =
        RunRecords.backup(
            name,
            Objects.requireNonNullElse(report.from, "0"),
            report.file,
            report.sizeBytes,
            ctx.now());
    ctx.status.setLastBackup(b);
    ctx.deps.events().normal(ctx.resource(), Reason.BACKUP_COMPLETED, RunRecords.describeBackup(b));
  }

  /** The change Job did not change the schema: lastRun is what it was before. */
  private static void putBackPreviousRun(FlowContext ctx, Job job) {
    var annotations = job == null ? null : job.getMetadata().getAnnotations();
    String previous =
        annotations == null ? null : annotations.get(JobFactory.ANNOTATION_PREVIOUS_RUN);
    RunStatus run = ctx.status.getLastRun();
    if (run != null && job != null && !job.getMetadata().getName().equals(run.getJob())) {
      return; // not this Job's record
    }
    ctx.status.setLastRun(
        previous == null ? null : Serialization.unmarshal(previous, RunStatus.class));
  }

  /** A migrate or undo stage ran (or started): the Job changed, or may have changed, the schema. */
  private static boolean changed(Report report) {
    return report.stage(Report.Stage.MIGRATE).isPresent()
        || report.stage(Report.Stage.UNDO).isPresent();
  }

  /** The report as the plan saw the database: at {@code from}, with the planned revisions. */
  private static Report planned(Report report) {
    Report plan = copy(report);
    plan.current = report.from;
    plan.ok = true;
    return plan;
  }

  /** The report of the change stage: the revisions it applied or undid. */
  private static Report applied(Report report, Report.Stage change) {
    Report applied = copy(report);
    List<String> planned = report.revisionsOrEmpty();
    int count = change.count == null ? 0 : change.count;
    int listed = Math.min(count, planned.size());
    applied.revisions = new ArrayList<>(planned.subList(0, listed));
    // The plan's list may have been cut to fit the report: the rest are counted, not named.
    applied.truncated = count > listed ? count - listed : null;
    return applied;
  }

  /** The report as a plan after the change would have read it: at the target, nothing to do. */
  private static Report atTarget(Report report) {
    Report after = copy(report);
    after.direction = "none";
    after.revisions = List.of();
    after.undoMissing = List.of();
    after.truncated = null;
    after.baseline = null;
    return after;
  }

  private static Report copy(Report report) {
    return Serialization.unmarshal(Serialization.asJson(report), Report.class);
  }
}
