package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pod statuses a kubelet reports, built for the single container the executor runs: waiting
 * (with the kubelet's reasons), running, terminated.
 */
final class KubeletStatus {
  static final String LOCALHOST = "127.0.0.1";

  private KubeletStatus() {}

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * {@code Pending}, the container waiting for {@code reason} (ContainerCreating, ErrImagePull,
   * ...).
   */
  static PodStatus waiting(Pod pod, String reason, String message, Instant now) {
    ContainerState state =
        new ContainerStateBuilder()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .build();
    return base(pod, "Pending", now)
        .withConditions(conditions(pod, now, false, null))
        .withContainerStatuses(containerStatus(pod, state, false, false))
        .build();
  }

  static PodStatus running(Pod pod, Instant startedAt) {
    ContainerState state =
        new ContainerStateBuilder()
            .withNewRunning()
            .withStartedAt(timestamp(startedAt))
            .endRunning()
            .build();
    return base(pod, "Running", startedAt)
        .withConditions(conditions(pod, startedAt, true, null))
        .withContainerStatuses(containerStatus(pod, state, true, true))
        .build();
  }

  /**
   * The container ended; the Pod is {@code Succeeded} for exit code 0, {@code Failed} otherwise.
   */
  static PodStatus terminated(
      Pod pod, int exitCode, String reason, String message, Instant startedAt, Instant finishedAt) {
    ContainerState state =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(reason)
            .withMessage(message == null || message.isEmpty() ? null : message)
            .withStartedAt(startedAt == null ? null : timestamp(startedAt))
            .withFinishedAt(timestamp(finishedAt))
            .withContainerID(containerId(pod))
            .endTerminated()
            .build();
    String phase = exitCode == 0 ? "Succeeded" : "Failed";
    return base(pod, phase, finishedAt)
        .withConditions(
            conditions(pod, finishedAt, false, exitCode == 0 ? "PodCompleted" : "PodFailed"))
        .withContainerStatuses(containerStatus(pod, state, false, false))
        .build();
  }

  /** The Job's deadline passed: the Pod is stopped whatever its container was doing. */
  static PodStatus deadlineExceeded(Pod pod, Instant now, String message) {
    PodStatus status =
        pod.getStatus() == null ? waiting(pod, "ContainerCreating", null, now) : pod.getStatus();
    return new PodStatusBuilder(status)
        .withPhase("Failed")
        .withReason("DeadlineExceeded")
        .withMessage(message)
        .withConditions(conditions(pod, now, false, "PodFailed"))
        .build();
  }

  /** Whether a container of the Pod was ever started (by this or an earlier executor). */
  static boolean containerStarted(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return false;
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      ContainerState state = status.getState();
      if (Boolean.TRUE.equals(status.getStarted())
          || (state != null && (state.getRunning() != null || state.getTerminated() != null))) {
        return true;
      }
    }
    return false;
  }

  static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  private static PodStatusBuilder base(Pod pod, String phase, Instant now) {
    String startTime =
        pod.getStatus() != null && pod.getStatus().getStartTime() != null
            ? pod.getStatus().getStartTime()
            : timestamp(now);
    return new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP(LOCALHOST)
        .withPodIP(LOCALHOST)
        .withPodIPs(new PodIPBuilder().withIp(LOCALHOST).build())
        .withStartTime(startTime)
        // Set by the API server when the Pod is created, and immutable after.
        .withQosClass(
            pod.getStatus() != null && pod.getStatus().getQosClass() != null
                ? pod.getStatus().getQosClass()
                : "BestEffort");
  }

  private static ContainerStatus containerStatus(
      Pod pod, ContainerState state, boolean ready, boolean started) {
    Container container = pod.getSpec().getContainers().get(0);
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID(
            started || state.getTerminated() != null ? "local://" + container.getImage() : "")
        .withContainerID(state.getWaiting() != null ? null : containerId(pod))
        .withReady(ready)
        .withStarted(started)
        .withRestartCount(0)
        .withState(state)
        .withNewLastState()
        .endLastState()
        .build();
  }

  private static String containerId(Pod pod) {
    return "local://" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /**
   * @param endedReason null while the Pod is not finished; PodCompleted or PodFailed after
   */
  private static List<PodCondition> conditions(
      Pod pod, Instant now, boolean ready, String endedReason) {
    String at = timestamp(now);
    String containerName = pod.getSpec().getContainers().get(0).getName();
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodReadyToStartContainers", endedReason == null, at, null, null));
    conditions.add(condition("Initialized", true, at, endedReason, null));
    String notReadyReason = endedReason != null ? endedReason : "ContainersNotReady";
    String notReadyMessage =
        endedReason != null ? null : "containers with unready status: [" + containerName + "]";
    conditions.add(
        condition(
            "Ready", ready, at, ready ? null : notReadyReason, ready ? null : notReadyMessage));
    conditions.add(
        condition(
            "ContainersReady",
            ready,
            at,
            ready ? null : notReadyReason,
            ready ? null : notReadyMessage));
    conditions.add(condition("PodScheduled", true, at, null, null));
    return conditions;
  }

  private static PodCondition condition(
      String type, boolean status, String at, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(at)
        .withReason(reason)
        .withMessage(message)
        .build();
  }
}
