package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

  /** The Job with the claim {@code claim} mounted at {@code mountPath} in its first container. */
  static JobBuilder withClaim(JobBuilder job, String volume, String claim, String mountPath) {
    return job.editSpec()
        .editTemplate()
        .editSpec()
        .addNewVolume()
        .withName(volume)
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .endPersistentVolumeClaim()
        .endVolume()
        .editFirstContainer()
        .addNewVolumeMount()
        .withName(volume)
        .withMountPath(mountPath)
        .endVolumeMount()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  /** The Job with {@code env} added to its first container's environment. */
  static JobBuilder withEnv(JobBuilder job, EnvVar... env) {
    return job.editSpec()
        .editTemplate()
        .editSpec()
        .editFirstContainer()
        .addToEnv(env)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  /** An environment variable with a value. */
  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /** An environment variable from the key of a Secret that must exist. */
  static EnvVar secretEnv(String name, String key, String secret) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef(key, secret, false)
        .endValueFrom()
        .build();
  }

  /** An environment variable from a field of the Pod (the downward API). */
  static EnvVar fieldEnv(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  /** Creates a Secret holding {@code data} (plain text here, base64 in the Secret). */
  static Secret createSecret(
      KubernetesClient client, String namespace, String name, Map<String, String> data) {
    SecretBuilder secret =
        new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
    data.forEach(
        (key, value) ->
            secret.addToData(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    return client.resource(secret.build()).create();
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
