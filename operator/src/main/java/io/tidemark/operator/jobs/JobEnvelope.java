package io.tidemark.operator.jobs;

import static io.tidemark.operator.jobs.JobFactory.LABEL_MANAGED_BY;
import static io.tidemark.operator.jobs.JobFactory.LABEL_NAME;
import static io.tidemark.operator.jobs.JobFactory.LABEL_SCHEMA;
import static io.tidemark.operator.jobs.JobFactory.LABEL_STEP;
import static io.tidemark.operator.jobs.JobFactory.MANAGED_BY;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.JobTemplateSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every Job Tidemark starts has around its container, whatever it runs: labels and the
 * resource as controlling owner; the pod's restricted security (non-root, seccomp, no API token, no
 * service links), a size-limited /tmp and the database's TLS files; spec.jobTemplate's scheduling,
 * labels and annotations (never those that would loosen pod security); the deadline, the retries
 * (none for a step that changes the schema) and the time-to-live.
 */
final class JobEnvelope {
  /** The user and group every container runs as (the images' non-root user). */
  static final long NON_ROOT_ID = 65532L;

  /** The size-limited emptyDir the container mounts at /tmp (its root filesystem is read-only). */
  static final String TMP_VOLUME = "tmp";

  private JobEnvelope() {}

  /**
   * The Job that runs {@code container} for {@code step} of {@code resource}, with {@code
   * podVolumes} besides /tmp and the database's TLS files (whose mounts are added to {@code
   * container}); {@code defaultDeadline} and {@code defaultTtl} apply where spec.jobTemplate says
   * nothing.
   */
  static Job wrap(
      DatabaseSchema resource,
      String jobName,
      Step step,
      Container container,
      List<Volume> podVolumes,
      Map<String, String> annotations,
      long defaultDeadline,
      int defaultTtl) {
    DatabaseSchemaSpec spec = resource.getSpec();
    JobTemplateSpec template = spec.getJobTemplate();
    Map<String, String> labels = labels(resource, step);
    Map<String, String> podLabels = new LinkedHashMap<>();
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    if (template != null && template.getLabels() != null) {
      podLabels.putAll(template.getLabels());
    }
    podLabels.putAll(labels);
    if (template != null && template.getAnnotations() != null) {
      // The spec check refuses these; never copied even if a spec got past it.
      template
          .getAnnotations()
          .forEach(
              (key, value) -> {
                if (!DatabaseSchemaSpec.loosensPodSecurity(key)) {
                  podAnnotations.put(key, value);
                }
              });
    }

    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(TMP_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("1Gi"))
            .endEmptyDir()
            .build());
    volumes.addAll(podVolumes);
    // Every Job connects (plan, backup, migrate, undo, restore): the TLS files go to each.
    JobConnection connection = JobConnection.of(spec.getDatabase());
    volumes.addAll(connection.volumes());
    container.getVolumeMounts().addAll(connection.mounts());

    PodSpec podSpec =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            // Jobs need no Kubernetes API access: no token in the pod.
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withSecurityContext(
                new PodSecurityContextBuilder()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(NON_ROOT_ID)
                    .withRunAsGroup(NON_ROOT_ID)
                    .withFsGroup(NON_ROOT_ID)
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .build())
            .withContainers(container)
            .withVolumes(volumes)
            .build();
    if (template != null) {
      podSpec.setServiceAccountName(template.getServiceAccountName());
      podSpec.setNodeSelector(template.getNodeSelector());
      podSpec.setTolerations(template.getTolerations());
      podSpec.setImagePullSecrets(template.getImagePullSecrets());
    }
    long deadline =
        template != null && template.getActiveDeadlineSeconds() != null
            ? template.getActiveDeadlineSeconds()
            : defaultDeadline;
    // A failed migration, undo or restore is reported, never re-run blindly by Kubernetes:
    // backoffLimit applies to plan and backup Jobs only.
    int backoffLimit =
        !step.changesSchema() && template != null && template.getBackoffLimit() != null
            ? template.getBackoffLimit()
            : 0;
    int ttl =
        template != null && template.getTtlSecondsAfterFinished() != null
            ? template.getTtlSecondsAfterFinished()
            : defaultTtl;

    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName)
        .withNamespace(resource.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(new LinkedHashMap<>(annotations))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(resource.getApiVersion())
                .withKind(resource.getKind())
                .withName(resource.getMetadata().getName())
                .withUid(resource.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(backoffLimit)
        .withActiveDeadlineSeconds(deadline)
        .withTtlSecondsAfterFinished(ttl)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withSpec(podSpec)
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The labels of every Job of {@code resource} for {@code step}, and of its pod. */
  static Map<String, String> labels(DatabaseSchema resource, Step step) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);
    labels.put(LABEL_NAME, "tidemark");
    labels.put(LABEL_SCHEMA, resource.getMetadata().getName());
    labels.put(LABEL_STEP, step.label());
    return labels;
  }
}
