package io.tidemark.cluster;

import static io.tidemark.local.bench.BenchFigures.loadAverage;
import static io.tidemark.local.bench.BenchFigures.mb;
import static io.tidemark.local.bench.BenchFigures.millisSince;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tidemark.local.ImageCatalog;
import io.tidemark.local.LocalKubelet;
import io.tidemark.local.LocalVolumes;
import io.tidemark.local.bench.CpuTimes;
import io.tidemark.local.bench.FleetBenchmark;
import io.tidemark.local.bench.Heap;
import io.tidemark.local.bench.InstantMigrations;
import io.tidemark.local.bench.ReadyTimes;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The operator's benchmark on the real control plane (docs/benchmarks.md, "Operator on the real
 * control plane"): a fresh {@code tidemark-control-plane}, the CRD, the operator as the chart's
 * ServiceAccount with the chart's RBAC and settings, one Node played by the local kubelet whose
 * containers end at once with the report the runner would write ({@link InstantMigrations}, a fake
 * chain), and N DatabaseSchemas in namespaces that enforce the restricted Pod Security profile,
 * with backups on. The real Job controller creates the Pods and the real scheduler binds them.
 *
 * <p>Measures the time until all are Ready; from the control plane's audit log, the API requests
 * per resource and per idle minute of the operator, the kubelet and each controller; the operator's
 * heap (after GC, running minus stopped) and CPU (its threads); the control plane's CPU (etcd,
 * kube-apiserver, kube-controller-manager and kube-scheduler are one process). A main, not a test.
 * Run it with
 *
 * <pre>
 * ./mvnw -q -B install -DskipTests
 * ./mvnw -q -B -pl testing/cluster-tests exec:exec -Dexec.classpathScope=test \
 *     -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath io.tidemark.cluster.ClusterBenchmark --resources 1000"
 * </pre>
 *
 * Options: {@code --resources N} (1000), {@code --namespaces N} (10), {@code --revisions N} (12),
 * {@code --idle-seconds N} (60), {@code --settle-seconds N} (30: the wait between all Ready and the
 * idle period, in which the controllers' Events of the last Jobs are still sent), {@code --poll-ms
 * N} (1000), {@code --timeout-seconds N} (3600), {@code --replan-interval D} (the chart's {@code
 * operator.replanInterval}; default the chart's).
 */
public final class ClusterBenchmark extends FleetBenchmark {
  private static final String IMAGE = "registry.example.com/bench-migrations:1.0.0";
  private static final String BENCH_AGENT = "tidemark-benchmark";
  private static final String KUBELET_AGENT = "tidemark-local-kubelet";
  private static final ObjectMapper JSON = new ObjectMapper();

  private int settleSeconds = 30;
  private String replanInterval;

  private ClusterBenchmark() {
    super(1000, 3600);
  }

  public static void main(String[] args) throws Exception {
    runAndExit(new ClusterBenchmark(), args);
  }

  @Override
  protected boolean option(String name, Supplier<String> value) {
    switch (name) {
      case "--settle-seconds" -> settleSeconds = Integer.parseInt(value.get());
      case "--replan-interval" -> replanInterval = value.get();
      default -> {
        return false;
      }
    }
    return true;
  }

  @Override
  protected int run() throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.tidemark"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path dir =
        Repo.root()
            .resolve(
                "testing/cluster-tests/target/bench-control-plane-"
                    + ProcessHandle.current().pid());
    Instant t = Instant.now();
    try (ControlPlane controlPlane = ControlPlane.start(dir)) {
      log("control plane ready in %d ms (%s)", millisSince(t), dir);
      KubernetesClient admin = controlPlane.admin();
      Crds.install(admin);
      InstantMigrations migrations = new InstantMigrations(revisions);
      LocalVolumes volumes = new LocalVolumes(dir.resolve("volumes"));
      Path chain = Files.createTempDirectory("tidemark-bench-chain");
      try (KubernetesClient bench = clientWithAgent(controlPlane, BENCH_AGENT);
          KubernetesClient kubeletClient = clientWithAgent(controlPlane, KUBELET_AGENT);
          LocalKubelet kubelet =
              LocalKubelet.builder(kubeletClient)
                  .images(ImageCatalog.withPostgresTools().addRunner(IMAGE, chain))
                  .volumes(volumes)
                  .containerRunner(migrations.runner())
                  .start()) {
        List<String> nsNames = new ArrayList<>();
        for (int n = 0; n < namespaces; n++) {
          String ns = String.format(Locale.ROOT, "bench-%02d", n);
          nsNames.add(ns);
          setUpNamespace(admin, volumes, ns);
        }

        Heap beforeOperator = Heap.measure();
        Map<String, String> values = new HashMap<>();
        if (replanInterval != null) {
          values.put("operator.replanInterval", replanInterval);
        }
        t = Instant.now();
        Operators.Running operator =
            Operators.start(controlPlane, Operators.RELEASE_NAMESPACE, values, s -> s);
        log("operator started in %d ms as %s", millisSince(t), operator.user());
        Map<String, Long> cpuAtStart = CpuTimes.now();
        Duration planeCpuAtStart = controlPlane.cpu();

        Instant firstCreate = Instant.now();
        ReadyTimes times = new ReadyTimes();
        for (int i = 0; i < resources; i++) {
          String ns = nsNames.get(i % namespaces);
          String name = String.format(Locale.ROOT, "app-%04d", i);
          bench.resource(schema(ns, name)).create();
          times.created(ns + "/" + name);
        }
        long createMs = millisSince(firstCreate);
        log(
            "created %d DatabaseSchemas in %d namespaces in %d ms",
            resources, namespaces, createMs);

        Map<String, String> failures = new TreeMap<>();
        Instant deadline = firstCreate.plusSeconds(timeoutSeconds);
        Instant nextProgress = Instant.now().plusSeconds(15);
        Instant allReady = null;
        while (allReady == null && Instant.now().isBefore(deadline)) {
          Map<Phase, Integer> phases = new TreeMap<>();
          for (DatabaseSchema r :
              bench.resources(DatabaseSchema.class).inAnyNamespace().list().getItems()) {
            String key = r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
            Phase phase =
                r.getStatus() == null || r.getStatus().getPhase() == null
                    ? Phase.Pending
                    : r.getStatus().getPhase();
            phases.merge(phase, 1, Integer::sum);
            boolean ready = times.check(key, r);
            if (!ready && phase == Phase.Failed && r.getStatus().getLastFailure() != null) {
              var f = r.getStatus().getLastFailure();
              if (failures.putIfAbsent(
                      key + "#" + f.getJob(), f.getReason() + ": " + f.getMessage())
                  == null) {
                log(
                    "%s Failed (%s: %s); setting the retry annotation",
                    key, f.getReason(), f.getMessage());
                retry(bench, r, failures.size());
              }
            }
          }
          if (times.ready() == resources) {
            allReady = Instant.now();
            break;
          }
          if (Instant.now().isAfter(nextProgress)) {
            nextProgress = Instant.now().plusSeconds(15);
            log(
                "%4ds: %d/%d Ready; phases %s",
                millisSince(firstCreate) / 1000, times.ready(), resources, phases);
          }
          Thread.sleep(pollMs);
        }
        Map<String, Long> cpuAtReady = CpuTimes.now();
        Duration planeCpuAtReady = controlPlane.cpu();
        String loadAtReady = loadAverage();
        if (allReady == null) {
          log("TIMEOUT after %d s: %d/%d Ready", timeoutSeconds, times.ready(), resources);
        } else {
          log("all %d Ready %d ms after the first create", resources, millisSince(firstCreate));
        }
        Instant rampEnd = allReady == null ? Instant.now() : allReady;
        List<Long> perResource = times.createToReadyMillis();
        Map<String, Long> containersAtReady = migrations.counts();

        log("settling for %d s, then idle for %d s", settleSeconds, idleSeconds);
        Thread.sleep(settleSeconds * 1000L);
        Instant idleStart = Instant.now();
        Map<String, Long> cpuAtIdleStart = CpuTimes.now();
        Duration planeCpuAtIdleStart = controlPlane.cpu();
        Thread.sleep(idleSeconds * 1000L);
        Instant idleEnd = Instant.now();
        Map<String, Long> cpuAtIdleEnd = CpuTimes.now();
        Duration planeCpuAtIdleEnd = controlPlane.cpu();
        Heap withOperator = Heap.measure();
        operator.close();
        Heap afterOperatorStopped = Heap.measure();

        Audit audit = Audit.read(controlPlane.dir().resolve("audit.log"), operator.user());
        Report report = new Report();
        report.row(
            "Resources",
            resources
                + " in "
                + namespaces
                + " namespaces, "
                + revisions
                + " revisions each, backups on, target latest");
        report.row("Creating them (sequential, one client)", createMs + " ms");
        report.row(
            "First create to all Ready",
            allReady == null
                ? "TIMEOUT (" + times.ready() + " Ready)"
                : String.format(
                    Locale.ROOT,
                    "%d s (%.1f resources/s)",
                    Duration.between(firstCreate, allReady).toSeconds(),
                    resources
                        * 1000.0
                        / Math.max(1, Duration.between(firstCreate, allReady).toMillis())));
        if (!perResource.isEmpty()) {
          report.row(
              "Create to Ready, per resource (p50 / p90 / max)", ReadyTimes.p50p90max(perResource));
        }
        report.row("Containers run until all were Ready", containersAtReady.toString());
        report.row("Resources that went Failed (retried)", Integer.toString(failures.size()));
        Map<String, Long> ramp = audit.byClient(firstCreate, rampEnd);
        Map<String, Long> idle = audit.byClient(idleStart, idleEnd);
        double idleMinutes = Duration.between(idleStart, idleEnd).toMillis() / 60000.0;
        for (var e : ramp.entrySet()) {
          report.row(
              "API requests per resource until all Ready: " + e.getKey(),
              String.format(Locale.ROOT, "%.1f", e.getValue() / (double) resources));
        }
        report.row(
            "Operator's requests per resource, by verb and resource",
            audit.operatorBreakdown(firstCreate, rampEnd, resources));
        report.row(
            "Operator's writes per resource (create, update, patch, delete)",
            String.format(
                Locale.ROOT,
                "%.1f",
                audit.operatorWrites(firstCreate, rampEnd) / (double) resources));
        report.row(
            "Requests answered 403 or 5xx, first create to the end",
            audit.errors(firstCreate).toString());
        for (var e : idle.entrySet()) {
          report.row(
              "API requests per idle minute: " + e.getKey(),
              String.format(Locale.ROOT, "%.1f", e.getValue() / idleMinutes));
        }
        report.row(
            "Operator's requests per idle minute, by verb and resource",
            audit.operatorBreakdown(idleStart, idleEnd, idleMinutes));
        report.row(
            "Operator's heap (after GC, running minus stopped)",
            mb(withOperator.used() - afterOperatorStopped.used()));
        report.row(
            "Benchmark JVM's heap after GC: before the operator / running / stopped",
            mb(beforeOperator.used())
                + " / "
                + mb(withOperator.used())
                + " / "
                + mb(afterOperatorStopped.used()));
        Map<String, Long> rampCpu = CpuTimes.minus(cpuAtReady, cpuAtStart);
        report.row("Operator's CPU until all Ready (its threads)", cpuOf(rampCpu));
        report.row(
            "Benchmark JVM's CPU until all Ready (operator, kubelet, benchmark)",
            seconds(rampCpu.getOrDefault("(process)", 0L)));
        report.row(
            "Control plane's CPU until all Ready (etcd, apiserver, controllers, scheduler)",
            String.format(
                Locale.ROOT, "%.1f s", planeCpuAtReady.minus(planeCpuAtStart).toMillis() / 1000.0));
        report.row(
            "Control plane's CPU per idle minute",
            String.format(
                Locale.ROOT,
                "%.1f s",
                planeCpuAtIdleEnd.minus(planeCpuAtIdleStart).toMillis() / 1000.0 / idleMinutes));
        report.row(
            "Benchmark JVM's CPU per idle minute (operator, kubelet, benchmark's polling)",
            seconds(
                (long)
                    (CpuTimes.minus(cpuAtIdleEnd, cpuAtIdleStart).getOrDefault("(process)", 0L)
                        / idleMinutes)));
        report.row("Load average when all were Ready", loadAtReady);
        report.print();
        return allReady != null ? 0 : 1;
      }
    }
  }

  private static KubernetesClient clientWithAgent(ControlPlane controlPlane, String agent) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(controlPlane.adminConfig()).withUserAgent(agent).build())
        .build();
  }

  private static void setUpNamespace(KubernetesClient admin, LocalVolumes volumes, String ns) {
    TestCluster.restrictedNamespaceWithCredentials(
        admin, ns, "app", "not-used-by-the-instant-runner");
    TestCluster.backupClaim(admin, volumes, ns, Manifests.BACKUP_CLAIM);
  }

  private static DatabaseSchema schema(String ns, String name) {
    // The instant runner never connects; the port is any.
    DatabaseSchema r = Schemas.schema(ns, name, IMAGE, "latest", 5432);
    r.getSpec().getDatabase().setName(name.replace('-', '_'));
    return r;
  }

  private static void retry(KubernetesClient client, DatabaseSchema r, int n) {
    Schemas.edit(
        client,
        r.getMetadata().getNamespace(),
        r.getMetadata().getName(),
        e -> Schemas.annotate(e, DatabaseSchema.RETRY_ANNOTATION, "bench-" + n));
  }

  /** The operator's threads: java-operator-sdk's, the informers' and the HTTP clients'. */
  private static String cpuOf(Map<String, Long> cpu) {
    long sum = 0;
    for (var e : cpu.entrySet()) {
      String g = e.getKey();
      if (g.startsWith("operator:") || g.startsWith("fabric8 informer") || g.startsWith("HTTP")) {
        sum += e.getValue();
      }
    }
    return seconds(sum)
        + " (reconcilers, informers and HTTP clients; the kubelet's HTTP client is"
        + " among the last)";
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static void log(String format, Object... args) {
    System.err.printf(
        Locale.ROOT,
        "[cluster-bench %s] %s%n",
        Instant.now(),
        String.format(Locale.ROOT, format, args));
    System.err.flush();
  }

  /** A Markdown table on stdout. */
  private static final class Report {
    private final StringBuilder out = new StringBuilder("| Figure | Value |\n|---|---|\n");

    void row(String name, String value) {
      out.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    void print() {
      System.out.println(out);
      System.out.flush();
    }
  }

  /** One request from the audit log (stage ResponseComplete). */
  private record Request(Instant received, String client, String verb, String resource, int code) {}

  /** The control plane's audit log, each request attributed to the client that sent it. */
  private static final class Audit {
    private final List<Request> requests;

    private Audit(List<Request> requests) {
      this.requests = requests;
    }

    static Audit read(Path file, String operatorUser) throws IOException {
      List<Request> requests = new ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode e;
          try {
            e = JSON.readTree(line);
          } catch (IOException partial) {
            continue;
          }
          String user = e.path("user").path("username").asText();
          String agent = e.path("userAgent").asText();
          String client =
              user.equals(operatorUser)
                  ? "operator"
                  : agent.startsWith(KUBELET_AGENT)
                      ? "local kubelet"
                      : agent.startsWith(BENCH_AGENT)
                          ? "benchmark"
                          : user.startsWith("system:serviceaccount:kube-system:")
                              ? "kube-controller-manager: "
                                  + user.substring("system:serviceaccount:kube-system:".length())
                              : user;
          String resource = e.path("objectRef").path("resource").asText("");
          String sub = e.path("objectRef").path("subresource").asText("");
          requests.add(
              new Request(
                  Instant.parse(e.path("requestReceivedTimestamp").asText()),
                  client,
                  e.path("verb").asText(),
                  sub.isEmpty() ? resource : resource + "/" + sub,
                  e.path("responseStatus").path("code").asInt()));
        }
      }
      return new Audit(requests);
    }

    Map<String, Long> byClient(Instant from, Instant to) {
      Map<String, Long> counts = new TreeMap<>();
      for (Request r : requests) {
        if (!r.received().isBefore(from) && r.received().isBefore(to)) {
          counts.merge(r.client(), 1L, Long::sum);
        }
      }
      return counts;
    }

    /** The operator's requests from {@code from} to {@code to} by verb and resource, divided. */
    String operatorBreakdown(Instant from, Instant to, double divisor) {
      Map<String, Long> counts = new TreeMap<>();
      for (Request r : requests) {
        if (r.client().equals("operator")
            && !r.received().isBefore(from)
            && r.received().isBefore(to)) {
          counts.merge(r.verb() + " " + r.resource(), 1L, Long::sum);
        }
      }
      List<String> parts = new ArrayList<>();
      counts.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f", k, v / divisor)));
      return String.join(", ", parts);
    }

    long operatorWrites(Instant from, Instant to) {
      return requests.stream()
          .filter(r -> r.client().equals("operator"))
          .filter(r -> !r.received().isBefore(from) && r.received().isBefore(to))
          .filter(r -> List.of("create", "update", "patch", "delete").contains(r.verb()))
          .count();
    }

    Map<String, Long> errors(Instant from) {
      Map<String, Long> counts = new TreeMap<>();
      for (Request r : requests) {
        if ((r.code() == 403 || r.code() >= 500) && !r.received().isBefore(from)) {
          counts.merge(r.client() + " " + r.code(), 1L, Long::sum);
        }
      }
      return counts;
    }
  }
}
