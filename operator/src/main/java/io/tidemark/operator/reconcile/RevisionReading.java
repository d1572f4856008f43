package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.FailureStatus;
import java.util.Arrays;
import java.util.Optional;

/**
 * After a change failed without saying where the database is (the runner killed, a report that
 * could not read it, the Job deleted), one plan Job reads the revision, so that the status says
 * where the database is without waiting for a person. It reads and nothing else: the failure still
 * holds its flow (no history entry, which would start a new flow; no retry), the failure's Job is
 * not run again, and a reading that cannot start or fails is not tried again.
 */
final class RevisionReading {
  private RevisionReading() {}

  /**
   * The reading plan Job the held failure needs: none once the revision is known or the reading
   * ended.
   */
  static Optional<String> job(FlowContext ctx) {
    FailureStatus failure = ctx.status.getLastFailure();
    if (failure == null
        || ctx.status.getCurrentRevision() != null
        || failure.getJob() == null
        || !changedSchema(failure.getStep())
        // Refused by the API server: the Job never existed, nothing ran, nothing to read.
        || Reason.JOB_REJECTED.value().equals(failure.getReason())
        || Boolean.TRUE.equals(failure.getTransientFailure())) {
      return Optional.empty();
    }
    String name =
        JobNames.of(
            ctx.snapshot.name(),
            ctx.snapshot.uid(),
            Step.PLAN,
            ctx.key().text(),
            "read",
            failure.getJob());
    Optional<Job> job = ctx.jobs.find(name);
    if (job.isEmpty()) {
      return Optional.of(name);
    }
    JobState state = ctx.jobs.state(job.get());
    return state.kind() == JobState.Kind.RUNNING || readRevision(state).isPresent()
        ? Optional.of(name)
        : Optional.empty();
  }

  /**
   * The revision a finished reading plan read: a plan that fails (a revision recorded as failed,
   * drift) still reports where the database is.
   */
  private static Optional<String> readRevision(JobState state) {
    if (state.kind() != JobState.Kind.SUCCEEDED && state.kind() != JobState.Kind.FAILED) {
      return Optional.empty();
    }
    return state.report().map(r -> r.current);
  }

  /**
   * After a change's failure: straight on to the reading when one is due, else what the failure
   * said.
   */
  static StepResult after(FlowContext ctx, StepResult failed) {
    return job(ctx).isPresent() ? StepResult.PROCEED : failed;
  }

  /**
   * Starts the plan Job {@code name} that reads the revision, or records what it read: the current
   * revision, a line in the failure's message and a {@code Planned} Event. The failure still holds
   * either way.
   */
  static void read(FlowContext ctx, String name) {
    Optional<Job> job = ctx.jobs.find(name);
    if (job.isEmpty()) {
      // Created without ctx.runJob: a refusal or a pod that cannot start must not turn the held
      // failure into a transient one that would be retried by itself.
      ctx.jobs.create(
          ctx.deps.jobs().planJob(ctx.resource(), name, Optional.empty(), Optional.empty()));
      return;
    }
    JobState state = ctx.jobs.state(job.get());
    Optional<String> current = readRevision(state);
    if (current.isPresent()) {
      FailureStatus failure = ctx.status.getLastFailure();
      ctx.status.setCurrentRevision(current.get());
      String latest = state.report().map(r -> r.latest).orElse(null);
      if (latest != null) {
        ctx.status.setLatestRevision(latest);
      }
      String read =
          " A plan (Job "
              + name
              + ") read the database afterwards: it is at revision "
              + current.get()
              + ".";
      if (!failure.getMessage().contains(read)) {
        failure.setMessage(Messages.bounded(failure.getMessage() + read));
      }
      ctx.deps
          .events()
          .normal(
              ctx.resource(),
              Reason.PLANNED,
              "After the failed "
                  + failure.getStep()
                  + ", the database is at revision "
                  + current.get());
    }
  }

  /** Whether the failed step was one that changes the schema (a step this version knows). */
  private static boolean changedSchema(String stepLabel) {
    return Arrays.stream(Step.values())
        .anyMatch(s -> s.label().equals(stepLabel) && s.changesSchema());
  }
}
