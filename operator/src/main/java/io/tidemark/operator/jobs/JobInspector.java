package io.tidemark.operator.jobs;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.tidemark.report.Report;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads where a Job is from the Job's and its Pods' status, as the Job controller and kubelet wrote
 * them.
 */
public final class JobInspector {
  /** Waiting reasons of a container that will not start without someone fixing something. */
  private static final Set<String> IMAGE_PROBLEMS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  private static final Set<String> CONFIG_PROBLEMS =
      Set.of("CreateContainerConfigError", "CreateContainerError");

  private JobInspector() {}

  /** What a Job is doing, with the termination message of its last pod when it finished. */
  public record JobState(Kind kind, String reason, String message, Optional<Report> report) {
    public enum Kind {
      RUNNING,
      SUCCEEDED,
      FAILED,
      CANNOT_START
    }

    public boolean finished() {
      return kind != Kind.RUNNING;
    }
  }

  /**
   * What {@code job} is doing at {@code now}, judged from its status and the Pods in {@code
   * allPods}.
   */
  public static JobState inspect(Job job, Collection<Pod> allPods, Instant now) {
    List<Pod> pods =
        allPods.stream()
            .filter(p -> job.getMetadata().getName().equals(jobNameOf(p)))
            .sorted(
                Comparator.comparing(
                        (Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                    .reversed())
            .toList();
    Optional<ContainerStatus> last = pods.stream().flatMap(p -> statuses(p).stream()).findFirst();
    Optional<String> terminationMessage =
        pods.stream()
            .flatMap(p -> statuses(p).stream())
            .map(s -> s.getState() == null ? null : s.getState().getTerminated())
            .filter(t -> t != null)
            .map(ContainerStateTerminated::getMessage)
            .filter(m -> m != null && !m.isBlank())
            .findFirst();
    Optional<Report> report = terminationMessage.flatMap(Report::parse);

    var status = job.getStatus();
    boolean noFinalPodStatus =
        pods.stream()
            .flatMap(p -> statuses(p).stream())
            .noneMatch(s -> s.getState() != null && s.getState().getTerminated() != null);
    if (noFinalPodStatus
        && finishedByCondition(job)
        && (!pods.isEmpty() || recentlyFinished(job, now))) {
      // The Job and its Pod come through separate informers: the Job may say Complete before we
      // have seen the
      // Pod's final status, which holds the report. Wait for the Pod's event rather than judge
      // without it.
      return new JobState(
          JobState.Kind.RUNNING,
          "Finishing",
          "waiting for the pod's final status",
          Optional.empty());
    }
    if (status != null && status.getConditions() != null) {
      for (JobCondition c : status.getConditions()) {
        if ("True".equals(c.getStatus())
            && ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType()))) {
          return new JobState(
              JobState.Kind.SUCCEEDED, "Completed", terminationMessage.orElse(""), report);
        }
      }
      for (JobCondition c : status.getConditions()) {
        if ("True".equals(c.getStatus())
            && ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType()))) {
          String message =
              report
                  .map(r -> r.message)
                  .filter(m -> m != null && !m.isBlank())
                  .or(() -> terminationMessage)
                  .orElse(c.getMessage() == null ? "the Job failed" : c.getMessage());
          return new JobState(
              JobState.Kind.FAILED,
              c.getReason() == null ? "Failed" : c.getReason(),
              message,
              report);
        }
      }
    }
    if (last.isPresent()
        && last.get().getState() != null
        && last.get().getState().getWaiting() != null) {
      ContainerStateWaiting waiting = last.get().getState().getWaiting();
      if (IMAGE_PROBLEMS.contains(waiting.getReason())) {
        return new JobState(
            JobState.Kind.CANNOT_START,
            "ImagePullFailed",
            "image "
                + last.get().getImage()
                + " cannot be pulled ("
                + waiting.getReason()
                + "): "
                + String.valueOf(waiting.getMessage()),
            Optional.empty());
      }
      if (CONFIG_PROBLEMS.contains(waiting.getReason())) {
        return new JobState(
            JobState.Kind.CANNOT_START,
            "CredentialsUnavailable",
            "the pod cannot start ("
                + waiting.getReason()
                + "): "
                + String.valueOf(waiting.getMessage()),
            Optional.empty());
      }
    }
    return new JobState(JobState.Kind.RUNNING, "Running", "", Optional.empty());
  }

  /**
   * Finished in a way that leaves a report in the pod (a deadline kills the pod before it can write
   * one).
   */
  private static boolean finishedByCondition(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return false;
    }
    return job.getStatus().getConditions().stream()
        .anyMatch(
            c ->
                "True".equals(c.getStatus())
                    && ("Complete".equals(c.getType())
                        || "SuccessCriteriaMet".equals(c.getType())
                        || (("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType()))
                            && !"DeadlineExceeded".equals(c.getReason()))));
  }

  /**
   * A pod not seen yet for a Job that finished a minute ago or more is gone (garbage-collected),
   * not late.
   */
  private static boolean recentlyFinished(Job job, Instant now) {
    var conditions = job.getStatus().getConditions();
    return conditions.stream()
        .map(c -> c.getLastTransitionTime())
        .filter(t -> t != null)
        .map(Instant::parse)
        .anyMatch(t -> t.isAfter(now.minusSeconds(60)));
  }

  public static String jobNameOf(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    if (labels == null) {
      return null;
    }
    String name = labels.get("batch.kubernetes.io/job-name");
    return name != null ? name : labels.get("job-name");
  }

  private static List<ContainerStatus> statuses(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return List.of();
    }
    return pod.getStatus().getContainerStatuses();
  }
}
