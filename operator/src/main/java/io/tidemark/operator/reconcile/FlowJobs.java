package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Jobs of one reconcile: the ones the snapshot saw plus the ones this reconcile created;
 * creating one, reading its state, and removing the ones no longer needed.
 */
final class FlowJobs {
  /** What became of a request to create a Job. */
  sealed interface Creation {
    record Created() implements Creation {}

    /** Already there: a previous life of this operator created it. */
    record AlreadyThere() implements Creation {}

    /** Refused by the API server (a quota, an admission webhook, an invalid field). */
    record Refused(String message) implements Creation {}
  }

  private final Snapshot snapshot;
  private final JobApi api;
  private final Map<String, Job> created = new HashMap<>();

  FlowJobs(Snapshot snapshot, JobApi api) {
    this.snapshot = snapshot;
    this.api = api;
  }

  Optional<Job> find(String name) {
    return Optional.ofNullable(created.get(name)).or(() -> snapshot.job(name));
  }

  /**
   * As {@link #find}, but asks the API server when the cache does not hold it (a Job just created
   * is not yet cached).
   */
  Optional<Job> findOrFetch(String name) {
    Optional<Job> job = find(name).or(() -> api.get(snapshot.namespace(), name));
    job.ifPresent(j -> created.putIfAbsent(name, j));
    return job;
  }

  JobState state(Job job) {
    return snapshot.state(job);
  }

  /** A Job that is still running, of any step. */
  Optional<Job> running() {
    return all().filter(j -> state(j).kind() == JobState.Kind.RUNNING).findFirst();
  }

  static Step stepOf(Job job) {
    var labels = job.getMetadata().getLabels();
    String label = labels == null ? null : labels.get(JobFactory.LABEL_STEP);
    return label == null ? Step.PLAN : Step.fromLabel(label);
  }

  Creation create(Job desired) {
    try {
      created.put(desired.getMetadata().getName(), api.create(desired));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 403) {
        return new Creation.Refused(
            e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
      }
      if (e.getCode() != 409) {
        throw e;
      }
      return new Creation.AlreadyThere();
    }
    return new Creation.Created();
  }

  /**
   * A Job whose pod cannot start would retry pulling until its deadline; once its failure is
   * recorded, stop it.
   */
  void deleteIfCannotStart(String name) {
    find(name)
        .filter(j -> state(j).kind() == JobState.Kind.CANNOT_START)
        .ifPresent(j -> api.delete(snapshot.namespace(), name));
  }

  /**
   * Keeps the newest finished Jobs of a step for their logs; Kubernetes' TTL removes the rest later
   * anyway.
   */
  void pruneFinished(Step step, String keep, int kept, DatabaseSchemaStatus status) {
    List<Job> finished =
        all()
            .filter(
                j ->
                    j.getMetadata().getLabels() != null
                        && step.label()
                            .equals(j.getMetadata().getLabels().get(JobFactory.LABEL_STEP)))
            .filter(j -> !j.getMetadata().getName().equals(keep))
            .filter(j -> state(j).finished())
            .filter(j -> !referencedBy(status, j.getMetadata().getName()))
            .sorted(
                Comparator.comparing(
                        (Job j) -> String.valueOf(j.getMetadata().getCreationTimestamp()))
                    .reversed())
            .toList();
    int keepOthers = Math.max(0, kept - 1);
    finished
        .subList(Math.min(keepOthers, finished.size()), finished.size())
        .forEach(old -> api.delete(snapshot.namespace(), old.getMetadata().getName()));
  }

  /** How long the Job ran (until now while it runs). */
  Duration duration(String name) {
    Job job = find(name).orElse(null);
    if (job == null || job.getStatus() == null || job.getStatus().getStartTime() == null) {
      return Duration.ZERO;
    }
    Instant start = Timestamps.parseOr(job.getStatus().getStartTime(), snapshot.now());
    String end = job.getStatus().getCompletionTime();
    if (end == null && job.getStatus().getConditions() != null) {
      end =
          job.getStatus().getConditions().stream()
              .filter(c -> "True".equals(c.getStatus()))
              .map(c -> c.getLastTransitionTime())
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(null);
    }
    Instant finish = Timestamps.parseOr(end, snapshot.now());
    return finish.isBefore(start) ? Duration.ZERO : Duration.between(start, finish);
  }

  private Stream<Job> all() {
    return Stream.concat(
        created.values().stream(),
        snapshot.jobs().stream().filter(j -> !created.containsKey(j.getMetadata().getName())));
  }

  private static boolean referencedBy(DatabaseSchemaStatus status, String job) {
    return (status.getLastFailure() != null && job.equals(status.getLastFailure().getJob()))
        || (status.getLastRun() != null && job.equals(status.getLastRun().getJob()))
        || (status.getLastBackup() != null && job.equals(status.getLastBackup().getJob()))
        || (status.getLastPlan() != null && job.equals(status.getLastPlan().getJob()));
  }
}
