package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the Job controller and the kubelet where there is no cluster: the operator's end-to-end
 * tests and local mode, both on the fabric8 mock API server. Never used in a cluster.
 *
 * <p>It watches Jobs labelled {@code app.kubernetes.io/managed-by=tidemark} (in all namespaces, or
 * the given ones). For each new Job it
 *
 * <ol>
 *   <li>creates the Job's Pod from the template ({@code <job>-<5 random chars>}, labels {@code
 *       job-name}, {@code controller-uid} and their {@code batch.kubernetes.io/} forms, owned by
 *       the Job) and sets the Job's {@code startTime} and {@code active: 1};
 *   <li>"pulls" the image from the {@link ImageCatalog} and resolves the environment: an unknown
 *       image leaves the Pod {@code Pending} with {@code ErrImagePull} then {@code
 *       ImagePullBackOff}, a missing Secret or key with {@code CreateContainerConfigError}, and the
 *       Job active, as in a cluster; both are retried every {@code kubeletRetryInterval};
 *   <li>runs the container with the {@link ContainerRunner} (by default a local process) on a
 *       bounded pool ({@code parallelism}, default 2), the Pod {@code Running} meanwhile; see
 *       {@link LaunchPlanner} and {@link PathRewriter} for how the container becomes a process;
 *   <li>writes the Pod's container {@code terminated} state (exit code, {@code Completed}/{@code
 *       Error}, the termination message) and the Job's counts and conditions. A failed Pod is
 *       replaced up to {@code backoffLimit} times; then the Job is {@code Failed} with {@code
 *       BackoffLimitExceeded}.
 * </ol>
 *
 * {@code activeDeadlineSeconds} kills the container (Job {@code Failed}, {@code DeadlineExceeded});
 * deleting a Job kills its container and deletes its Pods (the mock server has no garbage
 * collector). Unlike a cluster, Pods of a failed Job are kept so that their logs can be read.
 *
 * <p>Restarts: a new executor adopts the Pods a previous one left. A Pod whose container never
 * started is started; a Pod whose container had started is not run again but reported as the
 * kubelet reports a container it lost ({@code ContainerStatusUnknown}, exit code 137) and counted
 * as failed; a finished Pod only brings the Job's status up to date. Only the first container of a
 * Pod is run; {@code completions}/{@code parallelism} above 1 are not supported.
 *
 * <pre>{@code
 * LocalJobExecutor executor = LocalJobExecutor.builder(client)
 *     .images(ImageCatalog.withPostgresTools().addRunner("todo-migrations:*", Path.of("migrations")))
 *     .volumes(new LocalVolumes(Path.of("target/local")))
 *     .start();
 * ...
 * executor.logs("shop", podName);
 * executor.close();
 * }</pre>
 */
public final class LocalJobExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobExecutor.class);

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "tidemark";

  /** The {@code spec.nodeName} of every Pod the executor runs. */
  public static final String NODE_NAME = "tidemark-local";

  /** What a container killed with SIGKILL exits with. */
  static final int KILLED_EXIT_CODE = 137;

  private final KubernetesClient client;
  private final ImageCatalog images;
  private final LocalVolumes volumes;
  private final ContainerRunner runner;
  private final LaunchPlanner planner;
  private final StatusUpdates statuses;
  private final List<String> namespaces;
  private final Duration pullBackOffAfter;
  private final Duration kubeletRetryInterval;
  private final Duration podReplacementDelay;

  private final ScheduledExecutorService control;
  private final ExecutorService containers;
  private final Map<String, JobRun> runs = new ConcurrentHashMap<>();

  /** Uids of Jobs finished by this executor, so that stale events do not start them again. */
  private final Set<String> finishedJobs = ConcurrentHashMap.newKeySet();

  private final List<SharedIndexInformer<Job>> informers = new ArrayList<>();
  private volatile boolean started;
  private volatile boolean closed;

  private LocalJobExecutor(Builder b) {
    this.client = b.client;
    this.images = b.launch.images;
    this.volumes = b.launch.volumesOrTemporary();
    this.runner = b.launch.runner;
    this.statuses = new StatusUpdates(client);
    this.planner = b.launch.planner(client, volumes);
    this.namespaces = List.copyOf(b.namespaces);
    this.pullBackOffAfter = b.pullBackOffAfter;
    this.kubeletRetryInterval = b.kubeletRetryInterval;
    this.podReplacementDelay = b.podReplacementDelay;
    this.control =
        Executors.newScheduledThreadPool(
            b.controlThreads, DaemonThreads.named("local-job-control"));
    this.containers =
        Executors.newFixedThreadPool(b.parallelism, DaemonThreads.named("local-job-container"));
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /** Starts watching Jobs; returns once the informers have synced. */
  public synchronized LocalJobExecutor start() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (started) {
      return this;
    }
    started = true;
    ResourceEventHandler<Job> handler = new SeenOrGone<>(this::consider, this::deleted);
    if (namespaces.isEmpty()) {
      informers.add(
          client
              .batch()
              .v1()
              .jobs()
              .inAnyNamespace()
              .withLabel(MANAGED_BY_LABEL, MANAGED_BY_VALUE)
              .inform(handler, 0));
    } else {
      for (String namespace : namespaces) {
        informers.add(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabel(MANAGED_BY_LABEL, MANAGED_BY_VALUE)
                .inform(handler, 0));
      }
    }
    LOG.info("local Job executor started (root {})", volumes.root());
    return this;
  }

  public ImageCatalog images() {
    return images;
  }

  public LocalVolumes volumes() {
    return volumes;
  }

  /** The output (stdout and stderr) of the Pod's container so far; empty if it has none. */
  public String logs(String namespace, String podName) {
    Path file = logFile(namespace, podName);
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file holding the Pod's container output. */
  public Path logFile(String namespace, String podName) {
    return volumes.logFile(namespace, podName);
  }

  /** How many Jobs have a Pod that is waiting or running. */
  public int activeJobs() {
    return runs.size();
  }

  /** Stops watching and kills the running containers; their Pods stay as they are. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    informers.forEach(SharedIndexInformer::close);
    for (JobRun run : runs.values()) {
      synchronized (run) {
        run.stop = JobRun.Stop.SHUTDOWN;
        run.cancelTimers();
      }
    }
    control.shutdownNow();
    containers.shutdownNow(); // interrupts the runners: their processes are killed
    try {
      if (!containers.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("containers still running after close");
      }
      control.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- events ----

  private void consider(Job job) {
    if (closed
        || job.getMetadata().getUid() == null
        || job.getMetadata().getDeletionTimestamp() != null
        || Boolean.TRUE.equals(job.getSpec().getSuspend())
        || JobControllerStatus.isFinished(job)
        || finishedJobs.contains(job.getMetadata().getUid())) {
      return;
    }
    JobRun run = new JobRun(job);
    JobRun known = runs.putIfAbsent(run.uid, run);
    if (known == null) {
      control.execute(() -> step(run, this::startJob, true));
    }
  }

  private void deleted(Job job) {
    String uid = job.getMetadata().getUid();
    finishedJobs.remove(uid);
    JobRun run = runs.remove(uid);
    if (run != null) {
      synchronized (run) {
        run.stop = JobRun.Stop.DELETED;
        run.cancelTimers();
        if (run.container != null) {
          run.container.cancel(true);
        }
      }
    }
    if (!closed) {
      // The garbage collector's part: a Job's Pods go with it.
      control.execute(
          () -> {
            try {
              JobPods.of(client, job).forEach(pod -> client.resource(pod).delete());
            } catch (KubernetesClientException e) {
              LOG.warn(
                  "could not delete the Pods of deleted Job {}: {}",
                  job.getMetadata().getName(),
                  e.getMessage());
            }
          });
    }
  }

  /**
   * Runs one step of a Job under its lock. A step that fails on the API server and may be repeated
   * ({@code retryable}) is retried after {@code kubeletRetryInterval}.
   */
  private void step(JobRun run, Consumer<JobRun> action, boolean retryable) {
    synchronized (run) {
      if (run.ended() || closed) {
        return;
      }
      try {
        action.accept(run);
      } catch (RuntimeException e) {
        if (closed || run.ended()) {
          return;
        }
        LOG.warn("Job {}: {}{}", run, e.toString(), retryable ? "; retrying" : "");
        if (retryable) {
          run.retry = schedule(() -> step(run, action, true), kubeletRetryInterval);
        }
      }
    }
  }

  // ---- the Job controller ----

  private void startJob(JobRun run) {
    Instant now = Instant.now();
    Pod pending = null;
    run.succeeded = 0;
    run.failed = 0;
    for (Pod pod : JobPods.of(client, run.job)) {
      String phase = KubeletStatus.phase(pod);
      if ("Succeeded".equals(phase)) {
        run.succeeded++;
      } else if ("Failed".equals(phase)) {
        run.failed++;
      } else if (KubeletStatus.containerStarted(pod)) {
        // Started under an executor that is gone: never run a container twice.
        LOG.info(
            "Job {}: Pod {} was started by an earlier executor; reporting it lost",
            run,
            pod.getMetadata().getName());
        statuses.update(
            pod,
            p ->
                p.setStatus(
                    KubeletStatus.terminated(
                        p,
                        KILLED_EXIT_CODE,
                        "ContainerStatusUnknown",
                        "The container could not be located when the pod was terminated",
                        null,
                        now)));
        run.failed++;
      } else if (pending == null) {
        pending = pod;
      } else {
        client.resource(pod).delete(); // a surplus Pod that never started
      }
    }
    if (run.succeeded > 0) {
      completeJob(run);
      return;
    }
    if (run.failed > run.backoffLimit()) {
      failJob(
          run,
          JobControllerStatus.BACKOFF_LIMIT_EXCEEDED,
          JobControllerStatus.BACKOFF_LIMIT_MESSAGE);
      return;
    }
    run.pod = pending != null ? pending : createPod(run);
    updateJob(run, job -> JobControllerStatus.progress(job, 1, run.succeeded, run.failed, now));
    scheduleDeadline(run);
    prepareContainer(run);
  }

  private Pod createPod(JobRun run) {
    for (int attempt = 1; ; attempt++) {
      Pod pod = JobPods.newPod(run.job, NODE_NAME);
      // The mock server keeps the status given at creation, which saves a write.
      pod.setStatus(KubeletStatus.waiting(pod, "ContainerCreating", null, Instant.now()));
      try {
        Pod created = client.resource(pod).create();
        run.waiting = "ContainerCreating";
        LOG.debug("Job {}: created Pod {}", run, created.getMetadata().getName());
        return created;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private void replacePod(JobRun run) {
    run.pod = createPod(run);
    updateJob(
        run, job -> JobControllerStatus.progress(job, 1, run.succeeded, run.failed, Instant.now()));
    prepareContainer(run);
  }

  private void scheduleDeadline(JobRun run) {
    Long seconds = run.job.getSpec().getActiveDeadlineSeconds();
    if (seconds == null || run.deadline != null) {
      return;
    }
    String startTime = run.job.getStatus() == null ? null : run.job.getStatus().getStartTime();
    Instant start = startTime == null ? Instant.now() : Instant.parse(startTime);
    Duration left = Duration.between(Instant.now(), start.plusSeconds(seconds));
    run.deadline =
        schedule(
            () -> step(run, this::deadlineExceeded, false),
            left.isNegative() ? Duration.ZERO : left);
  }

  private void deadlineExceeded(JobRun run) {
    if (run.containerRunning) {
      // The container thread writes the statuses once the process is gone.
      run.stop = JobRun.Stop.DEADLINE;
      run.container.cancel(true);
      return;
    }
    if (run.container != null) {
      run.container.cancel(false);
      run.container = null;
    }
    if (run.pod != null) {
      statuses.update(
          run.pod,
          p ->
              p.setStatus(
                  KubeletStatus.deadlineExceeded(
                      p, Instant.now(), JobControllerStatus.DEADLINE_MESSAGE)));
      run.pod = null;
      run.failed++;
    }
    failJob(run, JobControllerStatus.DEADLINE_EXCEEDED, JobControllerStatus.DEADLINE_MESSAGE);
  }

  private void completeJob(JobRun run) {
    updateJob(
        run, job -> JobControllerStatus.complete(job, run.succeeded, run.failed, Instant.now()));
    finish(run);
  }

  private void failJob(JobRun run, String reason, String message) {
    updateJob(
        run,
        job ->
            JobControllerStatus.failed(
                job, run.succeeded, run.failed, reason, message, Instant.now()));
    finish(run);
  }

  private void finish(JobRun run) {
    run.finished = true;
    run.pod = null;
    run.cancelTimers();
    finishedJobs.add(run.uid);
    runs.remove(run.uid, run);
    LOG.debug("Job {} finished: succeeded {}, failed {}", run, run.succeeded, run.failed);
  }

  private void updateJob(JobRun run, Consumer<Job> change) {
    Job written = statuses.update(run.job, change);
    if (written != null) {
      run.job = written;
    }
  }

  // ---- the kubelet ----

  private void prepareContainer(JobRun run) {
    ContainerLaunch launch;
    try {
      launch = planner.plan(run.job, run.pod);
    } catch (ImageNotFoundException e) {
      setWaiting(run, "ErrImagePull", e.getMessage());
      run.retry =
          schedule(
              () ->
                  step(
                      run,
                      r -> {
                        setWaiting(r, "ImagePullBackOff", e.backOffMessage());
                        r.retry =
                            schedule(
                                () -> step(r, this::prepareContainer, true), kubeletRetryInterval);
                      },
                      true),
              pullBackOffAfter);
      return;
    } catch (ContainerConfigException e) {
      setWaiting(run, "CreateContainerConfigError", e.getMessage());
      run.retry = schedule(() -> step(run, this::prepareContainer, true), kubeletRetryInterval);
      return;
    }
    run.container = containers.submit(() -> runContainer(run, launch));
  }

  private void setWaiting(JobRun run, String reason, String message) {
    String key = reason + "\n" + message;
    if (key.equals(run.waiting)) {
      return;
    }
    Pod written =
        statuses.update(
            run.pod, p -> p.setStatus(KubeletStatus.waiting(p, reason, message, Instant.now())));
    if (written != null) {
      run.pod = written;
      run.waiting = key;
    }
    LOG.info(
        "Job {}: Pod {} waiting: {}: {}", run, run.pod.getMetadata().getName(), reason, message);
  }

  /** On a container thread. */
  private void runContainer(JobRun run, ContainerLaunch launch) {
    Instant startedAt = Instant.now();
    synchronized (run) {
      if (run.ended() || run.stop != null || closed) {
        return;
      }
      try {
        Pod written =
            statuses.update(run.pod, p -> p.setStatus(KubeletStatus.running(p, startedAt)));
        if (written != null) {
          run.pod = written;
        }
      } catch (KubernetesClientException e) {
        LOG.warn("Job {}: could not report Pod running: {}", run, e.getMessage());
      }
      run.containerRunning = true;
    }
    ContainerEnd end = ContainerEnd.run(runner, launch); // killed: why is in run.stop
    synchronized (run) {
      run.containerRunning = false;
      run.container = null;
      // A kill that came after the process ended must not break the status writes below.
      Thread.interrupted();
      if (run.ended() || closed) {
        return;
      }
      try {
        containerEnded(run, launch, startedAt, end);
      } catch (RuntimeException e) {
        LOG.error("Job {}: could not write the end of Pod {}", run, launch.podName(), e);
      }
    }
  }

  private void containerEnded(
      JobRun run, ContainerLaunch launch, Instant startedAt, ContainerEnd end) {
    Instant finishedAt = Instant.now();
    if (run.stop == JobRun.Stop.DEADLINE || end.killed()) {
      statuses.update(
          run.pod,
          p ->
              p.setStatus(
                  new PodStatusBuilder(
                          KubeletStatus.terminated(
                              p, KILLED_EXIT_CODE, "Error", null, startedAt, finishedAt))
                      .withReason(JobControllerStatus.DEADLINE_EXCEEDED)
                      .withMessage(JobControllerStatus.DEADLINE_MESSAGE)
                      .build()));
      run.pod = null;
      run.failed++;
      failJob(run, JobControllerStatus.DEADLINE_EXCEEDED, JobControllerStatus.DEADLINE_MESSAGE);
      return;
    }
    int exitCode = end.exitCode();
    statuses.update(
        run.pod,
        p ->
            p.setStatus(
                KubeletStatus.terminated(
                    p, exitCode, end.reason(), end.message(), startedAt, finishedAt)));
    LOG.info("Job {}: Pod {} {} (exit code {})", run, launch.podName(), end.reason(), exitCode);
    run.pod = null;
    if (exitCode == 0) {
      run.succeeded++;
      completeJob(run);
    } else if (++run.failed > run.backoffLimit()) {
      failJob(
          run,
          JobControllerStatus.BACKOFF_LIMIT_EXCEEDED,
          JobControllerStatus.BACKOFF_LIMIT_MESSAGE);
    } else {
      updateJob(
          run, job -> JobControllerStatus.progress(job, 0, run.succeeded, run.failed, finishedAt));
      run.retry = schedule(() -> step(run, this::replacePod, true), podReplacementDelay);
    }
  }

  private Future<?> schedule(Runnable task, Duration delay) {
    return control.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Configures a {@link LocalJobExecutor}; {@link #start()} builds and starts it. */
  public static final class Builder {
    private final KubernetesClient client;
    private final ContainerSettings launch = new ContainerSettings();
    private int parallelism = 2;
    private int controlThreads = 2;
    private final List<String> namespaces = new ArrayList<>();
    private Duration pullBackOffAfter = Duration.ofSeconds(1);
    private Duration kubeletRetryInterval = Duration.ofSeconds(5);
    private Duration podReplacementDelay = Duration.ofSeconds(1);

    private Builder(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** The images that can be pulled; default: {@link ImageCatalog#withPostgresTools()}. */
    public Builder images(ImageCatalog catalog) {
      launch.images = Objects.requireNonNull(catalog);
      return this;
    }

    /** Where claims, Pods' folders and logs live; default: a new temporary folder. */
    public Builder volumes(LocalVolumes localVolumes) {
      launch.volumes = Objects.requireNonNull(localVolumes);
      return this;
    }

    /** How containers run; default: local processes ({@link ContainerRunner#process()}). */
    public Builder containerRunner(ContainerRunner containerRunner) {
      launch.runner = Objects.requireNonNull(containerRunner);
      return this;
    }

    /** How the runner image's entrypoint starts; default {@link RunnerEntrypoint#defaults()}. */
    public Builder runnerEntrypoint(RunnerEntrypoint runnerEntrypoint) {
      launch.entrypoint = Objects.requireNonNull(runnerEntrypoint);
      return this;
    }

    /** Also sends every line of containers' output here (e.g. local mode's console). */
    public Builder logSink(LogSink sink) {
      launch.logSink = Objects.requireNonNull(sink);
      return this;
    }

    /** How many containers run at once; default 2. Further Pods wait in ContainerCreating. */
    public Builder parallelism(int containersAtOnce) {
      if (containersAtOnce < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1");
      }
      this.parallelism = containersAtOnce;
      return this;
    }

    /** Threads that create Pods and write statuses; default 2. */
    public Builder controlThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("controlThreads must be at least 1");
      }
      this.controlThreads = threads;
      return this;
    }

    /** Watch only these namespaces; default: all. */
    public Builder namespaces(String... watched) {
      this.namespaces.addAll(List.of(watched));
      return this;
    }

    /** How long {@code ErrImagePull} shows before {@code ImagePullBackOff}; default 1 s. */
    public Builder imagePullBackOffAfter(Duration delay) {
      this.pullBackOffAfter = Objects.requireNonNull(delay);
      return this;
    }

    /** How often a waiting Pod's image and configuration are tried again; default 5 s. */
    public Builder kubeletRetryInterval(Duration interval) {
      this.kubeletRetryInterval = Objects.requireNonNull(interval);
      return this;
    }

    /** The wait before a failed Pod is replaced (backoffLimit &gt; 0); default 1 s. */
    public Builder podReplacementDelay(Duration delay) {
      this.podReplacementDelay = Objects.requireNonNull(delay);
      return this;
    }

    public LocalJobExecutor build() {
      return new LocalJobExecutor(this);
    }

    public LocalJobExecutor start() {
      return build().start();
    }
  }
}
