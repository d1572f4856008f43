package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.concurrent.Future;

/**
 * What the executor knows about one Job it is running. Guarded by its own monitor: every step of
 * one Job (pod created, container started, container ended, deadline, deletion) is taken under
 * {@code synchronized (run)}, so steps of one Job never interleave while different Jobs proceed in
 * parallel.
 */
final class JobRun {
  enum Stop {
    /** The Job was deleted: nothing more is written. */
    DELETED,
    /** The executor was closed: nothing more is written; a new executor takes over. */
    SHUTDOWN,
    /** The Job's activeDeadlineSeconds passed while its container ran. */
    DEADLINE
  }

  final String uid;
  Job job;

  /** The Job's Pod whose container has not ended yet, or null. */
  Pod pod;

  int succeeded;
  int failed;

  /** The waiting reason and message last written for {@link #pod}, to skip identical writes. */
  String waiting;

  /** The container queued or running on the bounded pool. */
  Future<?> container;

  /** True while {@link ContainerRunner#run} runs: only then may the container be interrupted. */
  boolean containerRunning;

  /** A kubelet retry or the next Pod after a failure. */
  Future<?> retry;

  Future<?> deadline;
  Stop stop;
  boolean finished;

  JobRun(Job job) {
    this.job = job;
    this.uid = job.getMetadata().getUid();
  }

  String namespace() {
    return job.getMetadata().getNamespace();
  }

  String name() {
    return job.getMetadata().getName();
  }

  /** Whether nothing more is to be done or written for this Job. */
  boolean ended() {
    return finished || stop == Stop.DELETED || stop == Stop.SHUTDOWN;
  }

  int backoffLimit() {
    Integer limit = job.getSpec() == null ? null : job.getSpec().getBackoffLimit();
    // The API server defaults backoffLimit to 6; the mock server does not default it.
    return limit == null ? 6 : limit;
  }

  void cancelTimers() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  public String toString() {
    return namespace() + "/" + name();
  }
}
