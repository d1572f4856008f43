package io.tidemark.local;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of one Node, for a real API server: it registers the Node, runs the Pods the
 * scheduler binds to it as local processes (the same image catalog, volumes, environment and
 * termination message as {@link LocalJobExecutor}), and writes their status. Everything else is the
 * real control plane's: the Job controller creates the Pods of a Job and decides its status, the
 * ReplicaSet and Deployment controllers those of a Deployment, the garbage collector deletes.
 *
 * <ul>
 *   <li>An unknown image leaves the Pod {@code Pending} with {@code ErrImagePull}, then {@code
 *       ImagePullBackOff}; a missing Secret or key with {@code CreateContainerConfigError}. Both
 *       are retried.
 *   <li>{@code restartPolicy: Never}: the container's end is the Pod's ({@code Succeeded} or {@code
 *       Failed}, with the termination message). {@code Always} and {@code OnFailure}: the container
 *       is restarted with the kubelet's back-off (10 s doubling to 5 min), the Pod {@code Running}
 *       but not Ready meanwhile ({@code CrashLoopBackOff}), so that a Deployment of crashing Pods
 *       ends in {@code ProgressDeadlineExceeded} as in a cluster.
 *   <li>A container without a readiness probe is Ready once running; probes are not run.
 *   <li>A Pod being deleted (its Job deleted, the namespace deleted) has its container killed and
 *       is then removed with a grace period of 0, as a kubelet confirms a graceful deletion.
 *   <li>A Pod that a previous kubelet had started is reported lost ({@code ContainerStatusUnknown},
 *       exit code 137): a container is never run twice.
 * </ul>
 *
 * The Node has no taints (the node-lifecycle controller that would manage them is not run) and is
 * Ready while the kubelet runs. Only the first container of a Pod is run.
 */
public final class LocalKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKubelet.class);
  public static final String DEFAULT_NODE = "tidemark-local";
  static final Duration FIRST_BACK_OFF = Duration.ofSeconds(10);
  static final Duration MAX_BACK_OFF = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final String nodeName;
  private final ContainerRunner runner;
  private final LaunchPlanner planner;
  private final StatusUpdates statuses;
  private final Duration retryInterval;
  private final ScheduledExecutorService control;
  private final ExecutorService containers;
  private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
  private final LocalVolumes volumes;
  private SharedIndexInformer<Pod> informer;
  private volatile boolean closed;

  /** One Pod this kubelet runs; every field is guarded by the instance's lock. */
  private static final class PodRun {
    final String uid;
    Pod pod;
    Future<?> container;
    Future<?> retry;
    boolean containerRunning;
    boolean ended;
    boolean deleting;
    int restarts;
    ContainerState lastTerminated;
    String waiting;

    PodRun(Pod pod) {
      this.uid = pod.getMetadata().getUid();
      this.pod = pod;
    }

    @Override
    public String toString() {
      return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
  }

  private LocalKubelet(Builder b) {
    this.client = b.client;
    this.nodeName = b.nodeName;
    this.runner = b.launch.runner;
    this.statuses = new StatusUpdates(client);
    this.volumes = b.launch.volumesOrTemporary();
    this.planner = b.launch.planner(client, volumes);
    this.retryInterval = b.retryInterval;
    this.control =
        Executors.newScheduledThreadPool(2, DaemonThreads.named("local-kubelet-" + nodeName));
    this.containers =
        Executors.newFixedThreadPool(b.parallelism, DaemonThreads.named("local-kubelet-container"));
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  public String nodeName() {
    return nodeName;
  }

  public LocalVolumes volumes() {
    return volumes;
  }

  /**
   * Registers the Node and starts watching the Pods bound to it; returns once the watch has synced.
   */
  public synchronized LocalKubelet start() {
    registerNode();
    informer =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", nodeName)
            .inform(new SeenOrGone<>(this::consider, this::gone), 0);
    return this;
  }

  private void registerNode() {
    Instant now = Instant.now();
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .addToLabels("kubernetes.io/hostname", nodeName)
            .addToLabels("kubernetes.io/os", "linux")
            .addToLabels("kubernetes.io/arch", "amd64")
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    Node existing = client.nodes().withName(nodeName).get();
    Node registered = existing != null ? existing : client.resource(node).create();
    // The TaintNodesByCondition admission plugin adds node.kubernetes.io/not-ready to a new Node;
    // without the node-lifecycle controller nobody would remove it.
    registered =
        client
            .nodes()
            .withName(nodeName)
            .edit(
                n -> {
                  n.getSpec().setTaints(List.of());
                  return n;
                });
    Map<String, Quantity> capacity =
        Map.of(
            "cpu",
            new Quantity("16"),
            "memory",
            new Quantity("64Gi"),
            "pods",
            new Quantity("250"),
            "ephemeral-storage",
            new Quantity("100Gi"));
    String at = KubeletStatus.timestamp(now);
    statuses.update(
        registered,
        n ->
            n.setStatus(
                new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                    .withCapacity(capacity)
                    .withAllocatable(capacity)
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("True")
                    .withReason("KubeletReady")
                    .withMessage("the local kubelet is running")
                    .withLastHeartbeatTime(at)
                    .withLastTransitionTime(at)
                    .endCondition()
                    .addNewAddress()
                    .withType("InternalIP")
                    .withAddress(KubeletStatus.LOCALHOST)
                    .endAddress()
                    .addNewAddress()
                    .withType("Hostname")
                    .withAddress(nodeName)
                    .endAddress()
                    .withNewNodeInfo()
                    .withArchitecture("amd64")
                    .withOperatingSystem("linux")
                    .withKubeletVersion("local")
                    .withKubeProxyVersion("")
                    .withContainerRuntimeVersion("local://processes")
                    .withOsImage("local")
                    .withKernelVersion("")
                    .withMachineID("")
                    .withSystemUUID("")
                    .withBootID("")
                    .endNodeInfo()
                    .build()));
  }

  // ---- events ----

  private void consider(Pod pod) {
    if (closed || pod.getMetadata().getUid() == null) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      PodRun run = runs.computeIfAbsent(uid, u -> new PodRun(pod));
      control.execute(() -> finalizeDeletion(run));
      return;
    }
    String phase = KubeletStatus.phase(pod);
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return;
    }
    PodRun run = new PodRun(pod);
    if (runs.putIfAbsent(uid, run) == null) {
      control.execute(() -> step(run, this::admit));
    }
  }

  private void gone(Pod pod) {
    PodRun run = runs.remove(pod.getMetadata().getUid());
    if (run != null) {
      synchronized (run) {
        run.ended = true;
        cancel(run);
      }
    }
  }

  private void step(PodRun run, java.util.function.Consumer<PodRun> action) {
    synchronized (run) {
      if (run.ended || run.deleting || closed) {
        return;
      }
      try {
        action.accept(run);
      } catch (RuntimeException e) {
        if (closed || run.ended) {
          return;
        }
        LOG.warn("Pod {}: {}; retrying", run, e.toString());
        run.retry = schedule(() -> step(run, action), retryInterval);
      }
    }
  }

  // ---- the Pod's life ----

  /** A Pod seen for the first time: run it, unless an earlier kubelet already had. */
  private void admit(PodRun run) {
    if (KubeletStatus.containerStarted(run.pod) && !"Always".equals(restartPolicy(run.pod))) {
      LOG.info("Pod {} was started by an earlier kubelet; reporting it lost", run);
      write(
          run,
          KubeletStatus.terminated(
              run.pod,
              LocalJobExecutor.KILLED_EXIT_CODE,
              "ContainerStatusUnknown",
              "The container could not be located when the pod was terminated",
              null,
              Instant.now()));
      run.ended = true;
      return;
    }
    prepare(run);
  }

  private void prepare(PodRun run) {
    ContainerLaunch launch;
    try {
      launch = planner.plan(null, run.pod);
    } catch (ImageNotFoundException e) {
      setWaiting(
          run,
          run.waiting != null && run.waiting.startsWith("ErrImagePull")
              ? "ImagePullBackOff"
              : "ErrImagePull",
          run.waiting != null && run.waiting.startsWith("ErrImagePull")
              ? e.backOffMessage()
              : e.getMessage());
      run.retry = schedule(() -> step(run, this::prepare), retryInterval);
      return;
    } catch (ContainerConfigException e) {
      setWaiting(run, "CreateContainerConfigError", e.getMessage());
      run.retry = schedule(() -> step(run, this::prepare), retryInterval);
      return;
    }
    run.container = containers.submit(() -> runContainer(run, launch));
  }

  private void setWaiting(PodRun run, String reason, String message) {
    String key = reason + "\n" + message;
    if (key.equals(run.waiting)) {
      return;
    }
    PodStatus status = KubeletStatus.waiting(run.pod, reason, message, Instant.now());
    if (run.restarts > 0) {
      status = new PodStatusBuilder(status).withPhase("Running").build();
    }
    write(run, withRestarts(status, run));
    run.waiting = key;
    LOG.info("Pod {} waiting: {}: {}", run, reason, message);
  }

  /** On a container thread. */
  private void runContainer(PodRun run, ContainerLaunch launch) {
    Instant startedAt = Instant.now();
    synchronized (run) {
      if (run.ended || run.deleting || closed) {
        return;
      }
      write(run, withRestarts(KubeletStatus.running(run.pod, startedAt), run));
      run.waiting = null;
      run.containerRunning = true;
    }
    ContainerEnd end =
        ContainerEnd.run(runner, launch); // killed: the Pod is being deleted or the kubelet stops
    synchronized (run) {
      run.containerRunning = false;
      run.container = null;
      Thread.interrupted();
      if (run.deleting && !closed) {
        control.execute(() -> finalizeDeletion(run));
        return;
      }
      if (run.ended || closed || end.killed()) {
        return;
      }
      try {
        containerEnded(run, launch, startedAt, end);
      } catch (RuntimeException e) {
        LOG.error("Pod {}: could not write the container's end", run, e);
      }
    }
  }

  private void containerEnded(
      PodRun run, ContainerLaunch launch, Instant startedAt, ContainerEnd end) {
    Instant finishedAt = Instant.now();
    int exitCode = end.exitCode();
    String reason = end.reason();
    PodStatus terminated =
        KubeletStatus.terminated(run.pod, exitCode, reason, end.message(), startedAt, finishedAt);
    String policy = restartPolicy(run.pod);
    boolean restart = "Always".equals(policy) || ("OnFailure".equals(policy) && exitCode != 0);
    LOG.info(
        "Pod {}: container {} (exit code {}){}",
        run,
        reason,
        exitCode,
        restart ? "; restarting" : "");
    if (!restart) {
      write(run, withRestarts(terminated, run));
      run.ended = true;
      return;
    }
    run.lastTerminated = terminated.getContainerStatuses().get(0).getState();
    run.restarts++;
    Duration backOff = backOff(run.restarts);
    String container = launch.container().getName();
    run.waiting = null;
    setWaiting(
        run,
        "CrashLoopBackOff",
        "back-off "
            + backOff.toSeconds()
            + "s restarting failed container="
            + container
            + " pod="
            + run.pod.getMetadata().getName()
            + "_"
            + run.pod.getMetadata().getNamespace()
            + "("
            + run.uid
            + ")");
    run.retry = schedule(() -> step(run, this::prepare), backOff);
  }

  static Duration backOff(int restarts) {
    Duration d = FIRST_BACK_OFF;
    for (int i = 1; i < restarts && d.compareTo(MAX_BACK_OFF) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : d;
  }

  /** The restart count and the last termination on the (single) container status. */
  private static PodStatus withRestarts(PodStatus status, PodRun run) {
    if (run.restarts == 0
        || status.getContainerStatuses() == null
        || status.getContainerStatuses().isEmpty()) {
      return status;
    }
    ContainerStatus c = status.getContainerStatuses().get(0);
    c.setRestartCount(run.restarts);
    c.setLastState(
        run.lastTerminated == null ? new ContainerStateBuilder().build() : run.lastTerminated);
    return status;
  }

  /** The Pod is being deleted: stop its container, then confirm the deletion as a kubelet does. */
  private void finalizeDeletion(PodRun run) {
    synchronized (run) {
      run.deleting = true;
      cancel(run);
      if (run.containerRunning) {
        return; // the container thread finalizes once the process is gone
      }
    }
    try {
      client
          .pods()
          .inNamespace(run.pod.getMetadata().getNamespace())
          .withName(run.pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("Pod {}: could not confirm its deletion: {}", run, e.getMessage());
        schedule(() -> finalizeDeletion(run), retryInterval);
      }
    }
  }

  private static void cancel(PodRun run) {
    if (run.retry != null) {
      run.retry.cancel(false);
      run.retry = null;
    }
    if (run.container != null) {
      run.container.cancel(true);
    }
  }

  private void write(PodRun run, PodStatus status) {
    Pod written = statuses.update(run.pod, p -> p.setStatus(status));
    if (written != null) {
      run.pod = written;
    }
  }

  private static String restartPolicy(Pod pod) {
    return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
  }

  private Future<?> schedule(Runnable task, Duration delay) {
    return control.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops watching and kills the running containers; the Node and the Pods stay as they are. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (informer != null) {
      informer.close();
    }
    runs.values()
        .forEach(
            run -> {
              synchronized (run) {
                cancel(run);
              }
            });
    control.shutdownNow();
    containers.shutdownNow();
    try {
      containers.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link LocalKubelet}; {@link #start()} builds and starts it. */
  public static final class Builder {
    private final KubernetesClient client;
    private final ContainerSettings launch = new ContainerSettings();
    private String nodeName = DEFAULT_NODE;
    private int parallelism = 8;
    private Duration retryInterval = Duration.ofSeconds(2);

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    public Builder images(ImageCatalog catalog) {
      launch.images = catalog;
      return this;
    }

    public Builder volumes(LocalVolumes localVolumes) {
      launch.volumes = localVolumes;
      return this;
    }

    public Builder containerRunner(ContainerRunner containerRunner) {
      launch.runner = containerRunner;
      return this;
    }

    public Builder runnerEntrypoint(RunnerEntrypoint runnerEntrypoint) {
      launch.entrypoint = runnerEntrypoint;
      return this;
    }

    public Builder logSink(LogSink sink) {
      launch.logSink = sink;
      return this;
    }

    public Builder nodeName(String name) {
      this.nodeName = name;
      return this;
    }

    /** Containers run at once (a Deployment's long-running Pods count too). */
    public Builder parallelism(int containersAtOnce) {
      this.parallelism = containersAtOnce;
      return this;
    }

    public Builder retryInterval(Duration interval) {
      this.retryInterval = interval;
      return this;
    }

    public LocalKubelet start() {
      return new LocalKubelet(this).start();
    }
  }
}
