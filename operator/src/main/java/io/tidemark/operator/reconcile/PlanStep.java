package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.report.Report;
import java.util.ArrayList;

/**
 * The plan: a Job asks the runner where the database is and what reaching the target takes; its
 * report becomes status.lastPlan, the revisions, and the Drifted condition.
 */
final class PlanStep {
  private PlanStep() {}

  static StepResult run(FlowContext ctx, String job) {
    if (ChangeJobStep.fitsOneJob(ctx)) {
      // Nobody needs to look between the plan and the change: one Job plans, backs up and changes.
      return ChangeJobStep.start(ctx);
    }
    FlowKey key = ctx.key();
    // The periodic re-plan of a Ready resource checks for drift without flipping Ready: Argo CD and
    // alerts would otherwise see the schema leave Ready every interval.
    ctx.show.quiet(FlowStates.periodicReplan(ctx));
    try {
      return ctx.runJob(
          Step.PLAN,
          job,
          () ->
              ctx.deps
                  .jobs()
                  .planJob(
                      ctx.resource(),
                      job,
                      PartialRevisionClearance.revisionToClear(ctx),
                      Adoption.baselineAt(ctx)),
          state -> succeeded(ctx, job, key, state),
          state -> failed(ctx, job, key, state));
    } finally {
      ctx.show.quiet(false);
    }
  }

  private static StepResult succeeded(FlowContext ctx, String job, FlowKey key, JobState state) {
    Report report = state.report().filter(Report::succeeded).orElse(null);
    if (report == null) {
      return failed(ctx, job, key, state);
    }
    record(ctx, job, key, report, true);
    return StepResult.PROCEED;
  }

  /**
   * The plan {@code report} describes, as status.lastPlan, the revisions and the Drifted condition;
   * {@code announce}: with a Planned Event (not when the change it plans has run in the same Job:
   * its own Event says more).
   */
  static void record(FlowContext ctx, String job, FlowKey key, Report report, boolean announce) {
    var status = ctx.status;
    String previous = status.getCurrentRevision();
    String previousKey = status.getLastPlan() == null ? null : status.getLastPlan().getEpoch();
    PlanStatus plan =
        RunRecords.plan(
            report,
            job,
            key,
            ctx.snapshot.generation(),
            ctx.now(),
            ctx.resource().getSpec().getMigrations().source());
    status.setLastPlan(plan);
    status.setCurrentRevision(report.current);
    status.setTargetRevision(report.target);
    status.setLatestRevision(report.latest);
    status.setPendingRevisions(new ArrayList<>(report.revisionsOrEmpty()));

    boolean movedOutside =
        previous != null && report.current != null && !previous.equals(report.current);
    if (movedOutside) {
      ctx.show.drifted(
          true,
          Reason.SCHEMA_CHANGED_OUTSIDE,
          "The database was at revision "
              + report.current
              + " but Tidemark last left it at "
              + previous
              + ": someone changed the schema outside Tidemark. Tidemark "
              + "brings it back to the target; update the spec or set the db.tidemark.io/retry annotation to acknowledge.");
      ctx.deps
          .events()
          .warning(
              ctx.resource(),
              Reason.SCHEMA_DRIFT,
              "Database at revision "
                  + report.current
                  + ", expected "
                  + previous
                  + " (changed outside Tidemark)");
    } else if (!ctx.show.shows(Conditions.DRIFTED, Reason.SCHEMA_CHANGED_OUTSIDE)
        || key.acknowledges(previousKey)) {
      // An outside change stays visible until someone acknowledges it with a new generation or
      // retry value.
      ctx.show.drifted(
          false,
          Reason.NO_DRIFT,
          "Applied migrations match the image (digest " + shortDigest(report.digest) + ").");
    }
    if (announce && (plan.getDirection() != Direction.NONE || !key.is(previousKey))) {
      // A periodic re-plan that finds nothing new stays quiet: one Event per change, not one every
      // interval.
      ctx.deps.events().normal(ctx.resource(), Reason.PLANNED, RunRecords.describePlan(report));
    }
  }

  static StepResult failed(FlowContext ctx, String job, FlowKey key, JobState state) {
    Report report = state.report().orElse(null);
    // Without a report the runner did not get far enough to write one (a crash, a wrong
    // entrypoint): the log says why.
    Reason reason = RunRecords.reasonOf(state, Reason.JOB_FAILED);
    String message = "Plan failed: " + RunRecords.whatHappened(state);
    if (report != null && report.current != null) {
      ctx.status.setCurrentRevision(report.current);
    }
    if (reason == Reason.VALIDATION_FAILED) {
      ctx.show.drifted(true, Reason.CHECKSUM_MISMATCH, message);
    }
    return ctx.fail(
        Step.PLAN,
        job,
        reason,
        message,
        RunRecords.isTransient(report),
        report == null ? null : report.failed);
  }

  static String shortDigest(String digest) {
    if (digest == null) {
      return "unknown";
    }
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
