package io.tidemark.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.operator.model.BackupStatus;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.WatchState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How many series one DatabaseSchema puts on /metrics: Tidemark's own and java-operator-sdk's, as
 * the operator registers them, driven through a typical life (planned, backed up, migrated, a
 * migration failed once and a reconcile threw once, migrated again, rolled back after a failed
 * rollout, drifted). Prints the figures of docs/benchmarks.md ("Metrics series per resource").
 */
class MetricsSeriesTest {
  static final int FLEET = 300;
  static final int NAMESPACES = 10;

  @Test
  void seriesPerResource() throws Exception {
    Figures one = measure(1);
    Figures fleet = measure(FLEET);
    System.out.printf(
        "%n| Resources | Series on /metrics | Tidemark's and java-operator-sdk's | with a resource's labels"
            + " | per resource | meters |%n");
    System.out.printf("|---:|---:|---:|---:|---:|---:|%n");
    System.out.printf("| 0 | %d | | 0 | | %d |%n", one.baseline, one.baselineMeters);
    System.out.printf(
        "| 1 | %d | %d | %d | %d | %d |%n",
        one.total, one.operator, one.ofResources, one.ofFirst, one.meters);
    System.out.printf(
        "| %d | %d | %d | %d | %d | %d |%n%n",
        FLEET, fleet.total, fleet.operator, fleet.ofResources, fleet.ofFirst, fleet.meters);

    // At most 10 series per resource, whatever the number of resources...
    assertThat(one.ofFirst).isLessThanOrEqualTo(10);
    assertThat(fleet.ofFirst).isEqualTo(one.ofFirst);
    assertThat(fleet.ofResources).isEqualTo(FLEET * one.ofFirst);
    // ...and what is not per resource does not grow with them (histogram buckets are per step and
    // outcome).
    assertThat(fleet.operator - fleet.ofResources).isEqualTo(one.operator - one.ofResources);
    assertThat(one.resourceHistograms)
        .as("histogram or summary series with a resource's labels")
        .isEmpty();
  }

  /**
   * Series on the scrape (the JVM's vary with its garbage collections), Tidemark's and the SDK's
   * among them, those with a resource's labels, those of the first resource.
   */
  record Figures(
      int baseline,
      int baselineMeters,
      int total,
      int operator,
      int ofResources,
      int ofFirst,
      int meters,
      List<String> resourceHistograms) {}

  static Figures measure(int resources) throws Exception {
    PrometheusMeterRegistry registry = TidemarkMetrics.prometheusRegistry();
    TidemarkMetrics metrics = new TidemarkMetrics(registry);
    Metrics sdk = sdkMetrics(metrics);
    registerController(sdk, registry);
    Map<String, Object> controller =
        Map.of(
            Constants.RESOURCE_GVK_KEY,
            GroupVersionKind.gvkFor(DatabaseSchema.class),
            Constants.CONTROLLER_NAME,
            "databaseschema");
    int baseline = series(registry.scrape()).size();
    int baselineMeters = registry.getMeters().size();
    for (int i = 0; i < resources; i++) {
      life(metrics, sdk, controller, resource("ns-" + (i % NAMESPACES), name(i)));
    }
    List<String> series = series(registry.scrape());
    int ofResources =
        (int) series.stream().filter(s -> s.matches(".*name=\"todo-\\d{4}\".*")).count();
    List<String> first =
        series.stream().filter(s -> s.contains("name=\"" + name(0) + "\"")).toList();
    int ofFirst = first.size();
    if (resources == 1) {
      System.out.printf(
          "Series of one resource, by metric: %s%n",
          first.stream()
              .map(s -> s.substring(0, s.indexOf('{')).replaceFirst("_(bucket|count|sum|max)$", ""))
              .collect(
                  java.util.stream.Collectors.groupingBy(
                      n -> n, java.util.TreeMap::new, java.util.stream.Collectors.counting())));
    }
    List<String> histograms =
        first.stream()
            .filter(x -> x.matches("^\\w+_(bucket|count|sum|max)\\{.*") || x.contains("quantile="))
            .toList();
    int operator =
        (int)
            series.stream()
                .filter(x -> x.startsWith("tidemark_") || x.startsWith("operator_sdk_"))
                .count();
    return new Figures(
        baseline,
        baselineMeters,
        series.size(),
        operator,
        ofResources,
        ofFirst,
        registry.getMeters().size(),
        histograms);
  }

  static String name(int i) {
    return String.format("todo-%04d", i);
  }

  /** The samples of a scrape in Prometheus' text format: every line but comments. */
  static List<String> series(String scrape) {
    List<String> out = new ArrayList<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        out.add(line);
      }
    }
    return out;
  }

  /** java-operator-sdk's metrics, as TidemarkOperator registers them. */
  static Metrics sdkMetrics(TidemarkMetrics metrics) {
    return metrics.operatorSdkMetrics();
  }

  /**
   * What {@code Metrics.controllerRegistered} does for the controller "databaseschema" (its queue
   * and executions gauges), without building a java-operator-sdk Controller.
   */
  static void registerController(Metrics sdk, PrometheusMeterRegistry registry) throws Exception {
    Object micrometer = sdk;
    if (!(micrometer instanceof MicrometerMetrics)) {
      for (java.lang.reflect.Field f : sdk.getClass().getDeclaredFields()) {
        if (Metrics.class.isAssignableFrom(f.getType())) {
          f.setAccessible(true);
          micrometer = f.get(sdk);
        }
      }
    }
    java.lang.reflect.Field gauges = MicrometerMetrics.class.getDeclaredField("gauges");
    gauges.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<String, java.util.concurrent.atomic.AtomicInteger> map =
        (Map<String, java.util.concurrent.atomic.AtomicInteger>) gauges.get(micrometer);
    for (String prefix :
        List.of(
            "operator.sdk.reconciliations.queue.size.",
            "operator.sdk.reconciliations.executions.")) {
      String key = prefix + "databaseschema";
      map.put(
          key,
          registry.gauge(
              key,
              List.of(
                  io.micrometer.core.instrument.Tag.of("group", DatabaseSchema.GROUP),
                  io.micrometer.core.instrument.Tag.of("version", DatabaseSchema.VERSION),
                  io.micrometer.core.instrument.Tag.of("kind", "DatabaseSchema")),
              new java.util.concurrent.atomic.AtomicInteger()));
    }
  }

  /** A typical life, as the reconciler and the flow report it. */
  static void life(
      TidemarkMetrics metrics, Metrics sdk, Map<String, Object> controller, DatabaseSchema r)
      throws Exception {
    ResourceID id = ResourceID.fromResource(r);
    DatabaseSchemaStatus status = new DatabaseSchemaStatus();
    sdk.receivedEvent(new ResourceEvent(ResourceAction.ADDED, id, r), controller);
    // Planned, backed up, migrated to 12.
    reconcile(metrics, sdk, controller, r, status, Phase.Planning, null);
    sdk.receivedEvent(new Event(id), controller); // the plan Job's and Pod's events
    sdk.receivedEvent(new ResourceEvent(ResourceAction.UPDATED, id, r), controller);
    reconcile(metrics, sdk, controller, r, status, Phase.BackingUp, null);
    backedUp(metrics, status, Duration.ofSeconds(20), 12_345L);
    reconcile(metrics, sdk, controller, r, status, Phase.Migrating, null);
    metrics.changeFinished(r, "migrate", true, Duration.ofMinutes(3), 12);
    status.setCurrentRevision("12");
    status.setTargetRevision("12");
    reconcile(metrics, sdk, controller, r, status, Phase.Ready, null);
    // A new target, a migration that fails once; a reconcile that throws once (the API server
    // away).
    status.setTargetRevision("13");
    status.setPendingRevisions(List.of("13"));
    backedUp(metrics, status, Duration.ofSeconds(21), 12_400L);
    metrics.changeFinished(r, "migrate", false, Duration.ofSeconds(9), 0);
    reconcile(metrics, sdk, controller, r, status, Phase.Failed, null);
    sdk.reconcileCustomResource(r, null, controller);
    sdk.failedReconciliation(r, new KubernetesClientException("connection refused"), controller);
    reconcile(metrics, sdk, controller, r, status, Phase.Failed, retry(1));
    // Retried: migrated to 13; the application's rollout fails; rolled back with undo scripts.
    metrics.changeFinished(r, "migrate", true, Duration.ofMinutes(1), 1);
    status.setCurrentRevision("13");
    status.setPendingRevisions(List.of());
    RolloutWatchStatus watch = new RolloutWatchStatus();
    watch.setState(WatchState.WATCHING);
    status.setRolloutWatch(watch);
    reconcile(metrics, sdk, controller, r, status, Phase.Ready, null);
    watch = watch.moved(WatchState.FAILED, "todo-api failed");
    watch.setStrategy("Undo");
    status.setRolloutWatch(watch);
    reconcile(metrics, sdk, controller, r, status, Phase.RollingBack, null);
    backedUp(metrics, status, Duration.ofSeconds(22), 12_500L);
    metrics.rollback("Undo");
    metrics.changeFinished(r, "undo", true, Duration.ofSeconds(30), 0);
    status.setCurrentRevision("12");
    status.setRolloutWatch(watch.moved(WatchState.ROLLED_BACK, "todo-api failed"));
    reconcile(metrics, sdk, controller, r, status, Phase.Blocked, null);
    // Someone changed the schema by hand: drift.
    status.getConditions().add(TidemarkMetricsTest.drifted());
    reconcile(metrics, sdk, controller, r, status, Phase.Blocked, null);
  }

  static void backedUp(
      TidemarkMetrics metrics, DatabaseSchemaStatus status, Duration took, long size) {
    metrics.backupFinished(true, took);
    BackupStatus backup = new BackupStatus();
    backup.setSizeBytes(size);
    status.setLastBackup(backup);
  }

  static void reconcile(
      TidemarkMetrics metrics,
      Metrics sdk,
      Map<String, Object> controller,
      DatabaseSchema r,
      DatabaseSchemaStatus status,
      Phase phase,
      RetryInfo retry)
      throws Exception {
    sdk.reconcileCustomResource(r, retry, controller);
    sdk.reconciliationExecutionStarted(r, controller);
    sdk.timeControllerExecution(
        new Metrics.ControllerExecution<Object>() {
          @Override
          public String name() {
            return "reconcile";
          }

          @Override
          public String controllerName() {
            return "databaseschema";
          }

          @Override
          public String successTypeName(Object result) {
            return "resource";
          }

          @Override
          public ResourceID resourceID() {
            return ResourceID.fromResource(r);
          }

          @Override
          public Map<String, Object> metadata() {
            return controller;
          }

          @Override
          public Object execute() {
            status.setPhase(phase);
            metrics.observe(r, status);
            return "done";
          }
        });
    sdk.reconciliationExecutionFinished(r, controller);
    sdk.finishedReconciliation(r, controller);
  }

  static RetryInfo retry(int attempt) {
    return new RetryInfo() {
      @Override
      public int getAttemptCount() {
        return attempt;
      }

      @Override
      public boolean isLastAttempt() {
        return false;
      }
    };
  }

  static DatabaseSchema resource(String namespace, String name) {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setNamespace(namespace);
    r.getMetadata().setName(name);
    r.getMetadata().setUid(namespace + "-" + name + "-uid");
    DatabaseSchemaSpec spec = new DatabaseSchemaSpec();
    RollbackSpec rollback = new RollbackSpec();
    rollback.setStrategy(RollbackSpec.RollbackStrategy.Undo);
    spec.setRollback(rollback);
    r.setSpec(spec);
    return r;
  }
}
