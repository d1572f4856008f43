package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.metrics.TidemarkMetrics;
import io.tidemark.operator.model.BackupSpec;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.MigrationsSpec;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.WorkloadRef;
import io.tidemark.operator.rollout.RolloutGuard;
import io.tidemark.operator.rollout.WorkloadState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DatabaseSchema, its Jobs and Pods, and the outside world, in memory: the flow runs against
 * snapshots of it as it would in the operator, and each test moves Jobs and time by hand. {@link
 * #reconcile()} plays the reconciler: a snapshot, the flow on a copy of the status, the status
 * stored as JSON and read back (as the API server would).
 */
final class FlowFixture {
  static final String IMAGE = "registry.example.com/todo-migrations:1.7.0";

  final DatabaseSchema resource = resource("todo");
  final Map<String, Job> cluster = new LinkedHashMap<>();
  final Map<String, Pod> pods = new HashMap<>();
  final List<DatabaseSchema> sameDatabase = new ArrayList<>();
  final List<String> created = new ArrayList<>();
  final List<String> deleted = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  final Map<String, WorkloadState> workloads = new HashMap<>();
  final TidemarkMetrics metrics = new TidemarkMetrics(new SimpleMeterRegistry());
  Instant now = Instant.parse("2026-01-05T10:00:00Z");
  OperatorSettings settings = OperatorSettings.defaults().withOneJobChanges(false);

  /** Set to make the API server refuse the next Job created. */
  String refuseNext;

  /** Jobs the API server has that the operator's cache does not hold yet. */
  final java.util.Set<String> notCached = new java.util.HashSet<>();

  /** Whether the last reconcile changed the status (the reconciler would have patched it). */
  boolean patched;

  static DatabaseSchema resource(String name) {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace("shop");
    r.getMetadata().setUid("uid-" + name);
    r.getMetadata().setGeneration(1L);
    r.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    DatabaseSchemaSpec spec = new DatabaseSchemaSpec();
    DatabaseRef db = new DatabaseRef();
    db.setHost("postgres");
    db.setName("todo");
    db.setCredentialsSecret("todo-db");
    spec.setDatabase(db);
    MigrationsSpec m = new MigrationsSpec();
    m.setImage(IMAGE);
    spec.setMigrations(m);
    BackupSpec b = new BackupSpec();
    b.setVolumeClaim("todo-backups");
    spec.setBackup(b);
    r.setSpec(spec);
    return r;
  }

  /** One reconcile; returns when the flow asks to look again (null: on the next event). */
  Duration reconcile() {
    FlowContext ctx = context();
    Duration recheck = Flow.run(ctx);
    DatabaseSchemaStatus after = ctx.result();
    patched = !after.equals(resource.getStatus());
    resource.setStatus(
        Serialization.unmarshal(Serialization.asJson(after), DatabaseSchemaStatus.class));
    return recheck;
  }

  FlowContext context() {
    Snapshot snapshot =
        new Snapshot(
            resource,
            cluster.values().stream()
                .filter(j -> !notCached.contains(j.getMetadata().getName()))
                .toList(),
            pods.values(),
            sameDatabase,
            Clock.fixed(now, ZoneOffset.UTC));
    DatabaseSchemaStatus before =
        resource.getStatus() == null ? new DatabaseSchemaStatus() : resource.getStatus();
    return new FlowContext(snapshot, Serialization.clone(before), dependencies());
  }

  FlowDependencies dependencies() {
    JobApi api =
        new JobApi() {
          @Override
          public Job create(Job job) {
            String name = job.getMetadata().getName();
            if (cluster.containsKey(name)) {
              throw new KubernetesClientException(
                  new StatusBuilder().withCode(409).withMessage("exists").build());
            }
            if (refuseNext != null) {
              String message = refuseNext;
              refuseNext = null;
              throw new KubernetesClientException(
                  new StatusBuilder().withCode(422).withMessage(message).build());
            }
            job.getMetadata().setCreationTimestamp(now.toString());
            cluster.put(name, job);
            created.add(name);
            return job;
          }

          @Override
          public Optional<Job> get(String namespace, String name) {
            return Optional.ofNullable(cluster.get(name));
          }

          @Override
          public void delete(String namespace, String name) {
            cluster.remove(name);
            deleted.add(name);
          }
        };
    Events recorder =
        new Events() {
          @Override
          public void normal(DatabaseSchema r, Reason reason, String message) {
            events.add(reason.value());
          }

          @Override
          public void warning(DatabaseSchema r, Reason reason, String message) {
            events.add(reason.value());
          }
        };
    return new FlowDependencies(
        api,
        new JobFactory(settings.jobs()),
        recorder,
        metrics,
        settings,
        new RolloutGuard(),
        (namespace, ref) -> Optional.ofNullable(workloads.get(ref.getName())));
  }

  DatabaseSchemaStatus status() {
    return resource.getStatus();
  }

  // ---- moving the world ----

  void advance(Duration d) {
    now = now.plus(d);
  }

  void newGeneration() {
    resource.getMetadata().setGeneration(resource.getMetadata().getGeneration() + 1);
  }

  void retryAnnotation(String value) {
    resource.getMetadata().setAnnotations(Map.of(DatabaseSchema.RETRY_ANNOTATION, value));
  }

  /** Sets one annotation, keeping the others. */
  void annotate(String key, String value) {
    Map<String, String> annotations = new HashMap<>();
    if (resource.getMetadata().getAnnotations() != null) {
      annotations.putAll(resource.getMetadata().getAnnotations());
    }
    annotations.put(key, value);
    resource.getMetadata().setAnnotations(annotations);
  }

  /** A reconcile that starts the plan, the plan's report, and the reconcile that reads it. */
  String planned(String report) {
    reconcile();
    String plan = job(Step.PLAN);
    succeed(plan, report);
    reconcile();
    return plan;
  }

  void watchRollouts(RollbackSpec.RollbackStrategy strategy, String... deployments) {
    RollbackSpec rollback = new RollbackSpec();
    rollback.setStrategy(strategy);
    OnFailedRollout onFailed = new OnFailedRollout();
    for (String d : deployments) {
      WorkloadRef ref = new WorkloadRef();
      ref.setKind(WorkloadRef.WorkloadKind.Deployment);
      ref.setName(d);
      onFailed.getWorkloads().add(ref);
    }
    rollback.setOnFailedRollout(onFailed);
    resource.getSpec().setRollback(rollback);
  }

  /** The only Job of {@code step} created so far that is still in the cluster and not finished. */
  String job(Step step) {
    List<String> names =
        cluster.values().stream()
            .filter(
                j -> step.label().equals(j.getMetadata().getLabels().get(JobFactory.LABEL_STEP)))
            .filter(j -> j.getStatus() == null)
            .map(j -> j.getMetadata().getName())
            .toList();
    if (names.size() != 1) {
      throw new AssertionError("expected one running " + step + " Job, found " + names);
    }
    return names.get(0);
  }

  /** The Job ran to completion and its container left {@code report} as its termination message. */
  void succeed(String job, String report) {
    finish(job, "Complete", null, 0, report);
  }

  void fail(String job, String report) {
    finish(job, "Failed", "BackoffLimitExceeded", 1, report);
  }

  /** The pod of the Job cannot pull its image. */
  void cannotStart(String job) {
    putPod(
        job,
        now,
        new ContainerStatusBuilder()
            .withName("runner")
            .withImage(IMAGE)
            .withNewState()
            .withNewWaiting()
            .withReason("ErrImagePull")
            .withMessage("not found")
            .endWaiting()
            .endState()
            .build());
  }

  /** The Job's one pod, created at {@code created}, its runner container as {@code runner} says. */
  private void putPod(String job, Instant created, ContainerStatus runner) {
    pods.put(
        job,
        new PodBuilder()
            .withNewMetadata()
            .withName(job + "-pod")
            .withNamespace("shop")
            .addToLabels("job-name", job)
            .withCreationTimestamp(created.toString())
            .endMetadata()
            .withNewStatus()
            .withContainerStatuses(runner)
            .endStatus()
            .build());
  }

  private void finish(String job, String condition, String reason, int exit, String report) {
    Job j = cluster.get(job);
    j.setStatus(
        new JobStatusBuilder()
            .withStartTime(now.minusSeconds(5).toString())
            .withCompletionTime(now.toString())
            .withConditions(
                new JobConditionBuilder()
                    .withType(condition)
                    .withStatus("True")
                    .withReason(reason)
                    .withLastTransitionTime(now.toString())
                    .build())
            .build());
    putPod(
        job,
        now.minusSeconds(5),
        new ContainerStatusBuilder()
            .withName("runner")
            .withNewState()
            .withNewTerminated()
            .withExitCode(exit)
            .withMessage(report)
            .endTerminated()
            .endState()
            .build());
  }

  // ---- reports, as docs/runner-report.md writes them ----

  static String plan(String current, String target, String direction, String... revisions) {
    return "{\"v\":1,\"command\":\"plan\",\"ok\":true,\"exit\":0,\"current\":\""
        + current
        + "\",\"target\":\""
        + target
        + "\",\"latest\":\""
        + target
        + "\",\"direction\":\""
        + direction
        + "\",\"revisions\":"
        + list(revisions)
        + ",\"undoMissing\":[],\"truncated\":0,\"server\":\"15.19\",\"digest\":\"sha256:0123456789abcdef\"}";
  }

  static String planWithoutUndo(
      String current, String target, String direction, String undoMissing) {
    return plan(current, target, direction, target)
        .replace("\"undoMissing\":[]", "\"undoMissing\":[\"" + undoMissing + "\"]");
  }

  static String changed(String command, String current, String... revisions) {
    return "{\"v\":1,\"command\":\""
        + command
        + "\",\"ok\":true,\"exit\":0,\"current\":\""
        + current
        + "\",\"revisions\":"
        + list(revisions)
        + "}";
  }

  static String failure(String command, int exit, String reason, String message, String current) {
    return "{\"v\":1,\"command\":\""
        + command
        + "\",\"ok\":false,\"exit\":"
        + exit
        + ",\"reason\":\""
        + reason
        + "\",\"message\":\""
        + message
        + "\""
        + (current == null ? "" : ",\"current\":\"" + current + "\"")
        + "}";
  }

  static String backup(String file) {
    return "{\"v\":1,\"command\":\"backup\",\"ok\":true,\"exit\":0,\"file\":\""
        + file
        + "\",\"sizeBytes\":1234}";
  }

  private static String list(String... values) {
    return values.length == 0 ? "[]" : "[\"" + String.join("\",\"", values) + "\"]";
  }

  // ---- whole steps ----

  /**
   * From nothing to Ready at {@code revision} by a plan, a backup and a migration, one reconcile
   * each.
   */
  void migrateTo(String from, String revision) {
    reconcile();
    succeed(job(Step.PLAN), plan(from, revision, "up", revision));
    reconcile();
    succeed(job(Step.BACKUP), backup("shop_todo_r" + from + ".dump"));
    reconcile();
    succeed(job(Step.MIGRATE), changed("migrate", revision, revision));
    reconcile();
    succeed(job(Step.PLAN), plan(revision, revision, "none"));
    reconcile();
  }
}
