package io.tidemark.local;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Job controller's Pods: how a Job's Pod is made from its template, and how a Job's Pods are
 * found again (by the {@code controller-uid} label, which outlives Job names being reused).
 */
final class JobPods {
  static final String JOB_NAME = "job-name";
  static final String BATCH_JOB_NAME = "batch.kubernetes.io/job-name";
  static final String CONTROLLER_UID = "controller-uid";
  static final String BATCH_CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

  /** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private static final SecureRandom RANDOM = new SecureRandom();

  private JobPods() {}

  /** The Job's Pods, oldest first. */
  static List<Pod> of(KubernetesClient client, Job job) {
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .withLabel(CONTROLLER_UID, job.getMetadata().getUid())
        .list()
        .getItems()
        .stream()
        .sorted(
            Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                .thenComparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /** A new Pod for the Job, named {@code <job>-<5 random characters>}, owned by the Job. */
  static Pod newPod(Job job, String nodeName) {
    ObjectMeta template = job.getSpec().getTemplate().getMetadata();
    String jobName = job.getMetadata().getName();
    String uid = job.getMetadata().getUid();

    Map<String, String> labels = new LinkedHashMap<>();
    if (template != null && template.getLabels() != null) {
      labels.putAll(template.getLabels());
    }
    // What the API server adds to a Job's template (the selector's labels).
    labels.put(CONTROLLER_UID, uid);
    labels.put(BATCH_CONTROLLER_UID, uid);
    labels.put(JOB_NAME, jobName);
    labels.put(BATCH_JOB_NAME, jobName);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template != null && template.getAnnotations() != null) {
      annotations.putAll(template.getAnnotations());
    }

    PodSpec spec =
        new io.fabric8.kubernetes.api.model.PodSpecBuilder(job.getSpec().getTemplate().getSpec())
            .withNodeName(nodeName)
            .build();
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(podName(jobName))
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(jobName)
                        .withUid(uid)
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .build())
        .withSpec(spec)
        .build();
  }

  /** Like the API server's generateName: the prefix is cut so that the name fits 63 characters. */
  static String podName(String jobName) {
    String prefix = jobName.length() > 57 ? jobName.substring(0, 57) : jobName;
    StringBuilder name = new StringBuilder(prefix).append('-');
    for (int i = 0; i < 5; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }
}
