package io.tidemark.local.bench;

import static io.tidemark.local.bench.BenchFigures.loadAverage;
import static io.tidemark.local.bench.BenchFigures.mb;
import static io.tidemark.local.bench.BenchFigures.millisSince;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tidemark.local.ImageCatalog;
import io.tidemark.local.LocalCluster;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.local.testsupport.SchemaStatus;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The operator's benchmark (docs/benchmarks.md, "Operator"): N DatabaseSchemas on the fabric8 mock
 * API server, with the local Job executor finishing every Job at once ({@link InstantMigrations});
 * measures the time until all are Ready, the API requests per resource and per idle minute, and the
 * heap. A main, not a test (surefire does not run it). Run it with
 *
 * <pre>
 * ./mvnw -q -pl local -am test-compile
 * ./mvnw -q -pl local exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath io.tidemark.local.bench.OperatorBenchmark --resources 1000"
 * </pre>
 *
 * Options: {@code --resources N} (1000), {@code --namespaces N} (10), {@code --revisions N} (12,
 * the fake chain's length), {@code --idle-seconds N} (60), {@code --poll-ms N} (500), {@code
 * --timeout-seconds N} (1800), {@code --parallelism N} (executor containers at once, 2), {@code
 * --replan-interval DURATION} (default: the operator's default, 10m), {@code --verbose}, {@code
 * --separate-jobs} (a plan, backup and migrate Job per change instead of one change Job), {@code
 * --no-retry} (stop when every resource is Ready or Failed, instead of setting the retry annotation
 * on a Failed one, as an administrator would).
 */
public final class OperatorBenchmark extends FleetBenchmark {
  private static final String IMAGE = "registry.example.com/bench-migrations:1.0.0";

  private int parallelism = 2;
  private Duration replanInterval;
  private boolean verbose;
  private boolean retryFailed = true;

  private OperatorBenchmark() {
    super(500, 1800);
  }

  public static void main(String[] args) throws Exception {
    runAndExit(new OperatorBenchmark(), args);
  }

  @Override
  protected boolean option(String name, Supplier<String> value) {
    switch (name) {
      case "--parallelism" -> parallelism = Integer.parseInt(value.get());
      case "--replan-interval" ->
          replanInterval =
              io.tidemark.operator.rollout.Durations.parseGo(value.get())
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "--replan-interval: a duration such as 10m"));
      case "--verbose" -> verbose = true;
      case "--no-retry" -> retryFailed = false;
      case "--separate-jobs" -> separateJobs = true;
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Held so that the setting sticks (java.util.logging keeps loggers weakly). */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  /**
   * --separate-jobs: a plan, a backup and a migrate Job per change
   * (TIDEMARK_ONE_JOB_CHANGES=false).
   */
  private boolean separateJobs;

  @Override
  protected int run() throws Exception {
    // The mock API server logs every request at INFO through java.util.logging.
    MOCK_SERVER_LOG.setLevel(
        verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
    if (!verbose) {
      // One INFO line per Pod from the executor would cost more than the flow it reports.
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.tidemark"))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    OperatorSettings settings = OperatorSettings.defaults().withOneJobChanges(!separateJobs);
    if (replanInterval != null) {
      settings = settings.withReplanInterval(replanInterval);
    }
    log(
        "settings: replan interval %s, finished Jobs kept %d, max retry backoff %s, blocked recheck %s, "
            + "leader election %s; executor parallelism %d",
        settings.replanInterval(),
        settings.finishedJobsKept(),
        settings.maxRetryBackoff(),
        settings.blockedRecheck(),
        settings.leaderElection(),
        parallelism);

    Path chain = Files.createTempDirectory("tidemark-bench-chain");
    InstantMigrations migrations = new InstantMigrations(revisions);
    Instant t = Instant.now();
    try (LocalCluster cluster =
            LocalCluster.builder()
                .images(ImageCatalog.withPostgresTools().addRunner(IMAGE, chain))
                .settings(settings)
                .parallelism(parallelism)
                .containerRunner(migrations.runner())
                .start();
        RequestTally tally = new RequestTally(cluster.mockServer());
        KubernetesClient bench =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(cluster.client().getConfiguration())
                        .withUserAgent(RequestTally.BENCHMARK_USER_AGENT)
                        .build())
                .build()) {
      log(
          "local cluster started in %d ms (mock API server, embedded PostgreSQL, executor)",
          millisSince(t));

      List<String> nsNames = new ArrayList<>();
      for (int n = 0; n < namespaces; n++) {
        String ns = String.format(Locale.ROOT, "bench-%02d", n);
        nsNames.add(ns);
        setUpNamespace(bench, ns);
      }

      Heap beforeOperator = Heap.measure();
      t = Instant.now();
      cluster.startOperator();
      log("operator started in %d ms", millisSince(t));
      Map<String, Long> atStart = tally.snapshot();
      Map<String, Long> cpuAtStart = CpuTimes.now();
      String loadAtStart = loadAverage();

      // ---- create N resources and wait until all are Ready ----
      ReadyTimes times = new ReadyTimes();
      Instant firstCreate = Instant.now();
      for (int i = 0; i < resources; i++) {
        String ns = nsNames.get(i % namespaces);
        String name = String.format(Locale.ROOT, "app-%04d", i);
        bench.resource(schema(ns, name, cluster.postgresPort())).create();
        times.created(ns + "/" + name);
      }
      long createMs = millisSince(firstCreate);
      log("created %d DatabaseSchemas in %d namespaces in %d ms", resources, namespaces, createMs);

      Map<String, String> failures = new TreeMap<>();
      Set<String> pendingNamespaces = new java.util.TreeSet<>(nsNames);
      Map<String, Map<String, Phase>> phases = new HashMap<>();
      Instant deadline = firstCreate.plusSeconds(timeoutSeconds);
      Instant nextProgress = Instant.now().plusSeconds(10);
      long polls = 0;
      long pollNanos = 0;
      Instant allReady = null;
      while (true) {
        long p0 = System.nanoTime();
        for (String ns : new ArrayList<>(pendingNamespaces)) {
          Map<String, Phase> inNs = new HashMap<>();
          boolean done = true;
          for (DatabaseSchema r :
              bench.resources(DatabaseSchema.class).inNamespace(ns).list().getItems()) {
            String key = ns + "/" + r.getMetadata().getName();
            boolean ready = times.check(key, r);
            inNs.put(
                key,
                r.getStatus() == null || r.getStatus().getPhase() == null
                    ? Phase.Pending
                    : r.getStatus().getPhase());
            if (!ready) {
              done = false;
              if (r.getStatus() != null
                  && r.getStatus().getPhase() == Phase.Failed
                  && r.getStatus().getLastFailure() != null
                  && !failures.containsKey(key + "#" + r.getStatus().getLastFailure().getJob())) {
                var f = r.getStatus().getLastFailure();
                failures.put(key + "#" + f.getJob(), f.getReason() + ": " + f.getMessage());
                log(
                    "%s Failed at step %s (Job %s): %s: %s%s",
                    key,
                    f.getStep(),
                    f.getJob(),
                    f.getReason(),
                    f.getMessage(),
                    retryFailed ? "; setting " + DatabaseSchema.RETRY_ANNOTATION : "");
                if (retryFailed) {
                  bench
                      .resources(DatabaseSchema.class)
                      .inNamespace(ns)
                      .withName(r.getMetadata().getName())
                      .edit(
                          e -> {
                            if (e.getMetadata().getAnnotations() == null) {
                              e.getMetadata().setAnnotations(new HashMap<>());
                            }
                            e.getMetadata()
                                .getAnnotations()
                                .put(DatabaseSchema.RETRY_ANNOTATION, "bench-" + failures.size());
                            return e;
                          });
                }
              }
            }
          }
          phases.put(ns, inNs);
          if (done
              && inNs.size()
                  == resources / namespaces
                      + (nsNames.indexOf(ns) < resources % namespaces ? 1 : 0)) {
            pendingNamespaces.remove(ns);
          }
        }
        pollNanos += System.nanoTime() - p0;
        polls++;
        if (pendingNamespaces.isEmpty()) {
          allReady = Instant.now();
          break;
        }
        if (Instant.now().isAfter(deadline)
            || (!retryFailed
                && times.ready() + failures.size() >= resources
                && failures.size() > 0)) {
          break;
        }
        if (Instant.now().isAfter(nextProgress)) {
          nextProgress = Instant.now().plusSeconds(10);
          Map<String, Long> soFar = tally.snapshot();
          log(
              "%4ds: %d/%d Ready; phases %s; operator requests %d, executor %d; executor active Jobs %d",
              millisSince(firstCreate) / 1000,
              times.ready(),
              resources,
              histogram(phases),
              RequestTally.total(RequestTally.minus(soFar, atStart), "operator"),
              RequestTally.total(RequestTally.minus(soFar, atStart), "executor"),
              cluster.executor().activeJobs());
        }
        Thread.sleep(pollMs);
      }
      Map<String, Long> cpuAtReady = CpuTimes.now();
      String loadAtReady = loadAverage();
      Map<String, Long> jobsNow = jobsByStep(bench);
      Map<String, Long> containersAtReady = migrations.counts();
      Map<String, Long> atReady = tally.snapshot();
      long rampMs =
          Duration.between(firstCreate, allReady == null ? Instant.now() : allReady).toMillis();
      if (allReady == null) {
        log(
            "TIMEOUT after %d s: %d/%d Ready; phases %s",
            timeoutSeconds, times.ready(), resources, histogram(phases));
      } else {
        log("all %d Ready %d ms after the first create", resources, rampMs);
      }
      List<Long> perResource = times.createToReadyMillis();

      // ---- idle ----
      log("idle for %d s", idleSeconds);
      Thread.sleep(idleSeconds * 1000L);
      Map<String, Long> atIdleEnd = tally.snapshot();
      Map<String, Long> idleContainers = RequestTally.minus(migrations.counts(), containersAtReady);
      Map<String, Long> cpuAtIdleEnd = CpuTimes.now();
      long stillReady =
          bench.resources(DatabaseSchema.class).inAnyNamespace().list().getItems().stream()
              .filter(SchemaStatus::isReady)
              .count();

      Heap withOperator = Heap.measure();
      int meters = cluster.registry().getMeters().size();
      cluster.stopOperator();
      Heap afterOperatorStopped = Heap.measure();
      // The operator's meters stay in the cluster's registry after it stops; remove them to see
      // their share.
      cluster.registry().clear();
      Heap withoutMeters = Heap.measure();

      // ---- report ----
      Map<String, Long> ramp = RequestTally.minus(atReady, atStart);
      Map<String, Long> idle = RequestTally.minus(atIdleEnd, atReady);
      report(
          settings,
          allReady != null,
          createMs,
          rampMs,
          perResource,
          polls,
          pollNanos,
          ramp,
          idle,
          stillReady,
          jobsNow,
          failures,
          containersAtReady,
          idleContainers,
          beforeOperator,
          withOperator,
          afterOperatorStopped,
          withoutMeters,
          meters,
          CpuTimes.minus(cpuAtReady, cpuAtStart),
          CpuTimes.minus(cpuAtIdleEnd, cpuAtReady),
          loadAtStart + " at the first create, " + loadAtReady + " when all were Ready",
          cluster.client().getHttpClient().getClass().getSimpleName());
      return allReady != null ? 0 : 1;
    }
  }

  private static String histogram(Map<String, Map<String, Phase>> phases) {
    Map<Phase, Long> h = new TreeMap<>();
    phases.values().forEach(m -> m.values().forEach(p -> h.merge(p, 1L, Long::sum)));
    return h.toString();
  }

  private static Map<String, Long> jobsByStep(KubernetesClient client) {
    Map<String, Long> steps = new TreeMap<>();
    client
        .batch()
        .v1()
        .jobs()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(
            j ->
                steps.merge(
                    j.getMetadata().getLabels() == null
                        ? "?"
                        : j.getMetadata().getLabels().getOrDefault("db.tidemark.io/step", "?"),
                    1L,
                    Long::sum));
    return steps;
  }

  private static void setUpNamespace(KubernetesClient client, String ns) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    client
        .resource(Manifests.credentialsSecret(ns, "app", "not-used-by-the-instant-runner"))
        .create();
    client.resource(Manifests.backupClaim(ns, Manifests.BACKUP_CLAIM)).create();
  }

  /**
   * Each resource has a database of its own: two on one host/port/name would be Blocked by design.
   */
  private static DatabaseSchema schema(String ns, String name, int port) {
    return Manifests.schema(ns, name, IMAGE, "latest", port, (ns + "_" + name).replace('-', '_'));
  }

  // ---- the report ----------------------------------------------------------------------------

  private void report(
      OperatorSettings settings,
      boolean allReady,
      long createMs,
      long rampMs,
      List<Long> perResource,
      long polls,
      long pollNanos,
      Map<String, Long> ramp,
      Map<String, Long> idle,
      long stillReady,
      Map<String, Long> jobs,
      Map<String, String> failures,
      Map<String, Long> containersAtReady,
      Map<String, Long> idleContainers,
      Heap before,
      Heap with,
      Heap stopped,
      Heap noMeters,
      int meters,
      Map<String, Long> rampCpu,
      Map<String, Long> idleCpu,
      String load,
      String httpClient) {
    long opRamp = RequestTally.total(ramp, "operator");
    long exRamp = RequestTally.total(ramp, "executor");
    long infRamp = RequestTally.total(ramp, "informers");
    long benchRamp = RequestTally.total(ramp, "benchmark");
    long clusterRamp = opRamp + exRamp + infRamp + RequestTally.total(ramp, "setup");
    double idleMinutes = idleSeconds / 60.0;
    long opIdle = RequestTally.total(idle, "operator");
    long exIdle = RequestTally.total(idle, "executor");
    long allIdle = RequestTally.total(idle, null) - RequestTally.total(idle, "benchmark");

    StringBuilder out = new StringBuilder();
    out.append("\n## Operator benchmark: ")
        .append(resources)
        .append(" DatabaseSchemas, ")
        .append(namespaces)
        .append(" namespaces, a chain of ")
        .append(revisions)
        .append(" revisions\n\n");
    out.append("| Figure | Value |\n|---|---|\n");
    row(out, "All Ready", allReady ? "yes" : "NO (timeout " + timeoutSeconds + " s)");
    row(out, "Creating the " + resources + " resources (one client, sequential)", createMs + " ms");
    row(
        out,
        "First create to all Ready",
        String.format(
            Locale.ROOT,
            "%.1f s (%.1f resources/s)",
            rampMs / 1000.0,
            resources * 1000.0 / Math.max(1, rampMs)));
    if (!perResource.isEmpty()) {
      row(
          out,
          "Create to Ready, per resource (p50 / p90 / max; " + pollMs + " ms polls)",
          ReadyTimes.p50p90max(perResource));
    }
    row(
        out,
        "Resources that failed on the way"
            + (retryFailed ? " (then retried with " + DatabaseSchema.RETRY_ANNOTATION + ")" : ""),
        failures.isEmpty()
            ? "0"
            : failures.size()
                + ": "
                + failures.values().stream()
                    .map(m -> m.length() > 90 ? m.substring(0, 90) + "..." : m)
                    .distinct()
                    .collect(Collectors.joining("; ")));
    row(out, "Jobs run until all were Ready (containers, by step)", containersAtReady.toString());
    row(out, "Jobs in the API server when all were Ready (by step)", jobs.toString());
    row(
        out,
        "Operator API requests, first create to all Ready",
        String.format(Locale.ROOT, "%d (%.1f per resource)", opRamp, opRamp / (double) resources));
    row(
        out,
        "Executor API requests (Job controller + kubelet part), same period",
        String.format(Locale.ROOT, "%d (%.1f per resource)", exRamp, exRamp / (double) resources));
    row(out, "Informer list/watch requests (Jobs, shared), same period", Long.toString(infRamp));
    row(
        out,
        "All API requests except the benchmark's, same period",
        String.format(
            Locale.ROOT, "%d (%.1f per resource)", clusterRamp, clusterRamp / (double) resources));
    row(
        out,
        "Benchmark's own requests (creates and " + polls + " polls), same period",
        String.format(
            Locale.ROOT,
            "%d (polls took %.0f ms on average)",
            benchRamp,
            pollNanos / 1e6 / Math.max(1, polls)));
    row(
        out,
        "Idle period",
        idleSeconds + " s; " + stillReady + "/" + resources + " still Ready at its end");
    row(
        out,
        "Jobs run during the idle period (re-plans)",
        idleContainers.isEmpty() ? "none" : idleContainers.toString());
    row(
        out,
        "Operator API requests per idle minute",
        String.format(Locale.ROOT, "%.1f", opIdle / idleMinutes));
    row(
        out,
        "Executor API requests per idle minute",
        String.format(Locale.ROOT, "%.1f", exIdle / idleMinutes));
    row(
        out,
        "All API requests per idle minute (benchmark's excluded)",
        String.format(Locale.ROOT, "%.1f", allIdle / idleMinutes));
    row(
        out,
        "Heap after GC, before the operator started (mock API server, executor, embedded PostgreSQL's client side, JVM)",
        mb(before.used()));
    row(out, "Heap after GC, all Ready + idle, operator running (whole JVM)", mb(with.used()));
    row(
        out,
        "Heap after GC, operator stopped (its informer caches and reconciler gone; API server's store kept)",
        mb(stopped.used()));
    row(
        out,
        "Heap after GC, operator stopped and its meters removed from the registry",
        mb(noMeters.used()));
    row(
        out,
        "Operator's heap: running minus stopped (informer caches, reconciler state)",
        mb(with.used() - stopped.used()));
    row(
        out,
        "Operator's heap including its " + meters + " meters: running minus stopped-without-meters",
        mb(with.used() - noMeters.used()));
    row(
        out,
        "Whole JVM's heap growth: running minus before the operator (incl. the mock API server's store of every "
            + "object and the executor's Job cache)",
        mb(with.used() - before.used()));
    row(out, "JVM RSS, operator running / peak (VmRSS / VmHWM)", with.rss() + " / " + with.hwm());
    row(out, "Heap committed / max", mb(with.committed()) + " / " + mb(with.max()));
    row(
        out,
        "Process CPU, first create to all Ready / idle",
        String.format(
            Locale.ROOT,
            "%.1f s / %.1f s",
            rampCpu.getOrDefault("(process)", 0L) / 1e9,
            idleCpu.getOrDefault("(process)", 0L) / 1e9));
    row(out, "Machine load (1/5/15-min load average, all processes)", load);
    row(out, "HTTP client of the operator and executor", httpClient);
    row(
        out,
        "Settings",
        (replanInterval == null ? "operator defaults" : "operator defaults except")
            + ": re-plan "
            + settings.replanInterval()
            + ", finished Jobs kept "
            + settings.finishedJobsKept()
            + ", max retry backoff "
            + settings.maxRetryBackoff()
            + "; executor parallelism "
            + parallelism
            + "; "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs");
    out.append('\n');

    out.append(
        "API requests by sender and kind (first create to all Ready | per resource | idle, per minute):\n\n");
    out.append(
        "| Sender | Request | Create to Ready | Per resource | Idle, per minute |\n|---|---|---:|---:|---:|\n");
    Set<String> keys = new java.util.TreeSet<>(ramp.keySet());
    keys.addAll(idle.keySet());
    for (String k : keys) {
      String[] parts = k.split("\\|", 2);
      long r = ramp.getOrDefault(k, 0L);
      out.append("| ")
          .append(parts[0])
          .append(" | ")
          .append(parts.length > 1 ? parts[1] : "")
          .append(" | ")
          .append(r)
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.2f", r / (double) resources))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1f", idle.getOrDefault(k, 0L) / idleMinutes))
          .append(" |\n");
    }
    out.append('\n');

    out.append(
        "CPU time by thread group, first create to all Ready (threads that ended are not counted):\n\n");
    out.append("| Threads | CPU s |\n|---|---:|\n");
    rampCpu.entrySet().stream()
        .filter(e -> !e.getKey().equals("(process)"))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(12)
        .forEach(
            e ->
                out.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", e.getValue() / 1e9))
                    .append(" |\n"));
    System.out.println(out);
    System.out.flush();
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }

  private static void log(String format, Object... args) {
    System.err.printf(
        Locale.ROOT,
        "[bench %tT] " + format + "%n",
        prepend(Instant.now().atZone(java.time.ZoneId.systemDefault()), args));
    System.err.flush();
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
