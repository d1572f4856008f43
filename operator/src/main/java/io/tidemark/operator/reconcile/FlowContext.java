package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.operator.rollout.RolloutGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the steps of one reconcile share: the snapshot, the status being written (a copy of the
 * resource's), its Jobs, the aggregator that shows it, and the ways a step ends: a failure
 * recorded, or a Job started, waited for, or handed to the step's success or failure.
 */
final class FlowContext {
  /** Events wake us when a Job moves; this timer is the safety net for a missed one. */
  static final Duration RUNNING_RECHECK = Duration.ofSeconds(30);

  final Snapshot snapshot;
  final DatabaseSchemaStatus status;
  final FlowDependencies deps;
  final FlowJobs jobs;
  final StatusAggregator show;

  FlowContext(Snapshot snapshot, DatabaseSchemaStatus status, FlowDependencies deps) {
    this.snapshot = snapshot;
    this.status = status;
    this.deps = deps;
    this.jobs = new FlowJobs(snapshot, deps.api());
    this.show =
        new StatusAggregator(snapshot.resource(), status, snapshot.generation(), snapshot.now());
  }

  /** The status as this reconcile leaves it. */
  DatabaseSchemaStatus result() {
    return show.result();
  }

  DatabaseSchema resource() {
    return snapshot.resource();
  }

  Instant now() {
    return snapshot.now();
  }

  /**
   * The flow the resource is in now (it moves on with a new attempt or a new change in the status).
   */
  FlowKey key() {
    return FlowKey.of(snapshot.resource(), status);
  }

  /**
   * Records a failure of this flow, says so, and waits: for the backoff when the cause may clear by
   * itself.
   */
  StepResult fail(Step step, String job, Reason reason, String message, boolean transientCause) {
    return fail(step, job, reason, message, transientCause, null);
  }

  /**
   * As {@link #fail(Step, String, Reason, String, boolean)}, naming the revision whose script
   * failed.
   */
  StepResult fail(
      Step step,
      String job,
      Reason reason,
      String message,
      boolean transientCause,
      String revision) {
    FailureStatus failure =
        RunRecords.failure(step, job, reason, message, transientCause, key(), now());
    failure.setRevision(revision);
    status.setLastFailure(failure);
    if (transientCause) {
      status.setTransientFailures(
          (status.getTransientFailures() == null ? 0 : status.getTransientFailures()) + 1);
    }
    deps.events().warning(resource(), reason, failure.getMessage());
    show.failed(failure);
    return transientCause
        ? StepResult.recheckAfter(
            Backoff.after(status.getTransientFailures(), deps.settings().maxRetryBackoff()))
        : StepResult.waitForEvents();
  }

  /**
   * Runs one Job of a step: creates it when it does not exist yet, waits while it runs, and hands a
   * finished one to {@code onSuccess} or {@code onFailure}. A pod that cannot start is a failure of
   * transient cause: retried with backoff, each time with a new Job.
   */
  StepResult runJob(
      Step step,
      String name,
      Supplier<Job> build,
      Function<JobState, StepResult> onSuccess,
      Function<JobState, StepResult> onFailure) {
    Job job = jobs.find(name).orElse(null);
    if (job == null) {
      return start(step, name, build);
    }
    JobState state = jobs.state(job);
    return switch (state.kind()) {
      case RUNNING -> {
        show.progressing(step, running(name), key());
        yield StepResult.recheckAfter(RUNNING_RECHECK);
      }
      case SUCCEEDED -> onSuccess.apply(state);
      case CANNOT_START -> cannotStart(step, name, state);
      case FAILED -> onFailure.apply(state);
    };
  }

  /**
   * Records that a Job's pod cannot start, and removes the Job (the next attempt gets a new one).
   */
  StepResult cannotStart(Step step, String name, JobState state) {
    StepResult result =
        fail(
            step,
            name,
            Reason.of(state.reason()).orElse(Reason.IMAGE_PULL_FAILED),
            "The " + step.label() + " Job cannot start: " + state.message(),
            true);
    jobs.deleteIfCannotStart(name);
    return result;
  }

  /** The same words as while it runs: a status patch only for a changed message would be wasted. */
  static String running(String job) {
    return "Job " + job + " is running";
  }

  /** The backup image: spec.backup.image, or the operator's for the server's major version. */
  String backupImage() {
    String image = resource().getSpec().getBackup().getImage();
    String server = status.getLastPlan() == null ? null : status.getLastPlan().getServerVersion();
    return image != null ? image : deps.jobs().settings().backupImageFor(server);
  }

  /** The rollback in flight failed: hold it, until the retry annotation or a new spec. */
  void holdFailedRollback() {
    status.setRolloutWatch(RolloutGuard.rollbackFailed(status.getRolloutWatch(), key().text()));
  }

  private StepResult start(Step step, String name, Supplier<Job> build) {
    if (resource().getSpec().isSuspended()) {
      show.suspended();
      return StepResult.waitForEvents();
    }
    // Building the Job records it as running (lastRun) before it exists.
    RunStatus before = status.getLastRun();
    FlowJobs.Creation creation = jobs.create(build.get());
    if (creation instanceof FlowJobs.Creation.Refused refused) {
      // Nothing ran: the last run is still the one before, never a run that did not happen; the
      // refusal is the failure recorded below.
      status.setLastRun(before);
      if (status.getRolloutWatch() != null
          && name.equals(status.getRolloutWatch().getRollbackJob())) {
        holdFailedRollback();
      }
      return fail(
          step,
          name,
          Reason.JOB_REJECTED,
          "The API server refused the " + step.label() + " Job: " + refused.message(),
          false);
    }
    if (creation instanceof FlowJobs.Creation.AlreadyThere) {
      // Created by an earlier reconcile, not in the cache yet: known to this one from now on.
      jobs.findOrFetch(name);
    }
    if (creation instanceof FlowJobs.Creation.Created) {
      // No Event for a start: the status (phase, Progressing) already says that the Job runs.
      jobs.pruneFinished(step, name, deps.settings().finishedJobsKept(), status);
    }
    show.progressing(step, running(name), key());
    return StepResult.waitForEvents();
  }
}
