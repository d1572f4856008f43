package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/** Jobs shaped like the operator's, and ways to look at what the executor made of them. */
final class TestJobs {
  static final String TOOLS_IMAGE = "postgres:15-alpine";

  private TestJobs() {}

  /** A tools-image Job running {@code /bin/sh -c script}, backoffLimit 0. */
  static JobBuilder shellJob(String namespace, String name, String script) {
    return job(
        namespace,
        name,
        new ContainerBuilder()
            .withName("backup")
            .withImage(TOOLS_IMAGE)
            .withCommand("/bin/sh", "-c", script)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .build());
  }

  static JobBuilder job(String namespace, String name, Container container) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels(LocalJobExecutor.MANAGED_BY_LABEL, LocalJobExecutor.MANAGED_BY_VALUE)
        .addToLabels("db.tidemark.io/step", "backup")
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app.kubernetes.io/name", "tidemark")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withContainers(container)
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  static Job get(KubernetesClient client, String namespace, String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  static Optional<JobCondition> condition(Job job, String type) {
    if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  static boolean finished(KubernetesClient client, String namespace, String name) {
    Job job = get(client, namespace, name);
    return condition(job, "Complete").isPresent() || condition(job, "Failed").isPresent();
  }

  static List<Pod> pods(KubernetesClient client, String namespace, String jobName) {
    return client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems();
  }

  static Pod onlyPod(KubernetesClient client, String namespace, String jobName) {
    List<Pod> pods = pods(client, namespace, jobName);
    if (pods.size() != 1) {
      throw new AssertionError("expected one Pod of " + jobName + ", found " + pods.size());
    }
    return pods.get(0);
  }

  static ContainerStatus containerStatus(Pod pod) {
    if (pod.getStatus() == null
        || pod.getStatus().getContainerStatuses() == null
        || pod.getStatus().getContainerStatuses().isEmpty()) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().get(0);
  }

  /** The waiting reason of the Job's first Pod, or null. */
  static String waitingReason(KubernetesClient client, String namespace, String jobName) {
    List<Pod> pods = pods(client, namespace, jobName);
    if (pods.isEmpty()) {
      return null;
    }
    ContainerStatus status = containerStatus(pods.get(0));
    return status == null || status.getState().getWaiting() == null
        ? null
        : status.getState().getWaiting().getReason();
  }

  static String waitingMessage(KubernetesClient client, String namespace, String jobName) {
    ContainerStatus status = containerStatus(pods(client, namespace, jobName).get(0));
    return status.getState().getWaiting().getMessage();
  }
}
