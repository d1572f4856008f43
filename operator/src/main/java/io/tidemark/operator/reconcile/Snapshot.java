package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.JobInspector;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.model.DatabaseSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one reconcile sees, read once at its start and never changed: the resource as the cache
 * holds it, the Jobs and Pods it owns, the other resources naming the same database, and the time.
 * Everything the flow decides is a function of a snapshot and the status it is writing.
 */
final class Snapshot {
  private final DatabaseSchema resource;
  private final Map<String, Job> jobs;
  private final Collection<Pod> pods;
  private final Collection<DatabaseSchema> sameDatabase;
  private final Instant now;

  /** Each Job's state, worked out once: the Pods do not change during one reconcile. */
  private final Map<Job, JobState> states = new IdentityHashMap<>();

  Snapshot(
      DatabaseSchema resource,
      Collection<Job> jobs,
      Collection<Pod> pods,
      Collection<DatabaseSchema> sameDatabase,
      Clock clock) {
    this.resource = resource;
    this.jobs =
        jobs.stream()
            .collect(
                Collectors.toUnmodifiableMap(j -> j.getMetadata().getName(), j -> j, (a, b) -> a));
    this.pods = List.copyOf(pods);
    this.sameDatabase = List.copyOf(sameDatabase);
    this.now = clock.instant();
  }

  DatabaseSchema resource() {
    return resource;
  }

  Instant now() {
    return now;
  }

  /** The Job of that name, as the informer cache held it when the reconcile started. */
  Optional<Job> job(String name) {
    return Optional.ofNullable(name == null ? null : jobs.get(name));
  }

  Collection<Job> jobs() {
    return jobs.values();
  }

  Collection<DatabaseSchema> sameDatabase() {
    return sameDatabase;
  }

  JobState state(Job job) {
    return states.computeIfAbsent(job, j -> JobInspector.inspect(j, pods, now));
  }

  long generation() {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null ? 0L : generation;
  }

  String name() {
    return resource.getMetadata().getName();
  }

  String uid() {
    return resource.getMetadata().getUid();
  }

  String namespace() {
    return resource.getMetadata().getNamespace();
  }
}
