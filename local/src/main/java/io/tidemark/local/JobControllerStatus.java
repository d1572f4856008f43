package io.tidemark.local;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Job statuses the Job controller writes, as Kubernetes 1.31+ does: a finished Job gets the
 * interim condition ({@code SuccessCriteriaMet} / {@code FailureTarget}) and the final one ({@code
 * Complete} / {@code Failed}) with the same reason and message.
 */
final class JobControllerStatus {
  static final String COMPLETIONS_REACHED = "CompletionsReached";
  static final String COMPLETIONS_MESSAGE = "Reached expected number of succeeded pods";
  static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
  static final String BACKOFF_LIMIT_MESSAGE = "Job has reached the specified backoff limit";
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  static final String DEADLINE_MESSAGE = "Job was active longer than specified deadline";

  private JobControllerStatus() {}

  static boolean isFinished(Job job) {
    return hasCondition(job, "Complete") || hasCondition(job, "Failed");
  }

  static boolean hasCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The counts while the Job runs; {@code startTime} is set once. */
  static void progress(Job job, int active, int succeeded, int failed, Instant now) {
    JobStatus status = statusOf(job);
    if (status.getStartTime() == null) {
      status.setStartTime(KubeletStatus.timestamp(now));
    }
    status.setActive(active);
    status.setReady(0);
    status.setTerminating(0);
    status.setSucceeded(succeeded == 0 ? null : succeeded);
    status.setFailed(failed == 0 ? null : failed);
  }

  static void complete(Job job, int succeeded, int failed, Instant now) {
    progress(job, 0, succeeded, failed, now);
    JobStatus status = statusOf(job);
    status.setActive(null);
    status.setCompletionTime(KubeletStatus.timestamp(now));
    addConditions(
        status, now, COMPLETIONS_REACHED, COMPLETIONS_MESSAGE, "SuccessCriteriaMet", "Complete");
  }

  static void failed(
      Job job, int succeeded, int failed, String reason, String message, Instant now) {
    progress(job, 0, succeeded, failed, now);
    JobStatus status = statusOf(job);
    status.setActive(null);
    addConditions(status, now, reason, message, "FailureTarget", "Failed");
  }

  private static void addConditions(
      JobStatus status, Instant now, String reason, String message, String... types) {
    List<JobCondition> conditions =
        new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    String at = KubeletStatus.timestamp(now);
    for (String type : types) {
      conditions.removeIf(c -> type.equals(c.getType()));
      conditions.add(
          new JobConditionBuilder()
              .withType(type)
              .withStatus("True")
              .withReason(reason)
              .withMessage(message)
              .withLastProbeTime(at)
              .withLastTransitionTime(at)
              .build());
    }
    status.setConditions(conditions);
  }

  private static JobStatus statusOf(Job job) {
    if (job.getStatus() == null) {
      job.setStatus(new JobStatus());
    }
    return job.getStatus();
  }
}
