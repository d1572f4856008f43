package io.tidemark.operator.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.WatchState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Tidemark's own metrics (docs/monitoring.md), with a bounded number of series per resource.
 *
 * <p>Per resource (labels {@code namespace} and {@code name}) there are at most nine series, all
 * gauges but one small counter: the phase (one series, labelled with the current phase), the
 * current, target and pending revisions, the last successful reconcile, drift, a failed rollback
 * (labelled with its strategy), the last backup's size (once there is one) and the revisions
 * applied. Durations (histograms) and the counts of rollbacks are labelled by step and outcome
 * only, never per resource: a histogram per resource is a dozen series per bucket set. No label
 * ever holds a revision or a message.
 *
 * <p>A resource's series go on its delete event (java-operator-sdk calls {@link
 * Metrics#cleanupDoneFor} on it, through {@link #operatorSdkMetrics()}), and a reconcile of the
 * resource that ends after that event does not bring them back.
 */
public class TidemarkMetrics {
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
    Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(6)
  };

  /**
   * Deleted resources remembered, so that a reconcile in flight at the delete does not register
   * them again.
   */
  private static final int DELETED_REMEMBERED = 10_000;

  private final MeterRegistry registry;
  private final Map<String, ResourceSeries> resources = new ConcurrentHashMap<>();
  private final Map<String, Boolean> deletedUids =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > DELETED_REMEMBERED;
            }
          });

  public TidemarkMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      registerBuildInfo(prometheus);
    }
    // The fleet's rollbacks exist at 0 from the start, so that increase() sees the first one.
    for (String strategy : List.of("Undo", "Restore")) {
      rollbacks(strategy);
    }
  }

  /**
   * {@code tidemark_build_info{version, java_version} 1}. An info metric of the Prometheus client
   * underneath Micrometer: Micrometer would export a gauge named so as {@code tidemark_build},
   * since {@code _info} is a suffix the Prometheus client reserves for info metrics.
   */
  private static void registerBuildInfo(PrometheusMeterRegistry registry) {
    BuildInfo build = BuildInfo.current();
    Info info =
        Info.builder()
            .name("tidemark_build_info")
            .help(
                "Always 1; the labels say which Tidemark operator and Java runtime serve these metrics")
            .labelNames("version", "java_version")
            .build();
    info.addLabelValues(build.version(), build.javaVersion());
    try {
      registry.getPrometheusRegistry().register(info);
    } catch (IllegalArgumentException | IllegalStateException alreadyThere) {
      // An operator restarted in the same JVM, on the same registry (local mode, tests): it is
      // there.
    }
  }

  /**
   * A Prometheus registry with the JVM's own metrics, which the alerts on the operator itself use.
   */
  public static PrometheusMeterRegistry prometheusRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * java-operator-sdk's metrics for this registry, without per-resource series (its reconcile timer
   * alone is 72 series per resource), and with the delete event that drops a resource's Tidemark
   * series.
   */
  public Metrics operatorSdkMetrics() {
    return new OperatorSdkMetrics(this);
  }

  // ------------------------------------------------------------------ what the flow reports

  /** A migrate, undo or restore Job finished. */
  public void changeFinished(
      DatabaseSchema r, String action, boolean succeeded, Duration took, int revisionsApplied) {
    if (!List.of("migrate", "undo", "restore").contains(action)) {
      throw new IllegalArgumentException(action);
    }
    Timer.builder("tidemark_migration_duration")
        .description("Duration of migrate, undo and restore Jobs, of all resources")
        .tags("action", action, "outcome", succeeded ? "succeeded" : "failed")
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry)
        .record(took);
    if ("migrate".equals(action) && succeeded && revisionsApplied > 0) {
      ResourceSeries s = seriesOf(r);
      if (s != null) {
        s.applied.increment(revisionsApplied);
      }
    }
  }

  /** A backup Job finished; its size, when it succeeded, is the status's ({@link #observe}). */
  public void backupFinished(boolean succeeded, Duration took) {
    Timer.builder("tidemark_backup_duration")
        .description("Duration of backup Jobs, of all resources")
        .tags("outcome", succeeded ? "succeeded" : "failed")
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry)
        .record(took);
  }

  /** A rollback after a failed application rollout put the schema back. */
  public void rollback(String strategy) {
    rollbacks(strategy).increment();
  }

  private Counter rollbacks(String strategy) {
    return Counter.builder("tidemark_rollbacks")
        .description("Rollbacks after a failed application rollout, of all resources")
        .tags("strategy", strategy == null ? "Undo" : strategy)
        .register(registry);
  }

  /** Mirrors the status into the resource's gauges after a reconcile. */
  public void observe(DatabaseSchema r, DatabaseSchemaStatus status) {
    ResourceSeries s = seriesOf(r);
    if (s != null) {
      s.observe(r, status);
    }
  }

  /** The resource is gone (its delete event): drop its series, and keep them dropped. */
  public void forget(String namespace, String name) {
    // In compute: a registration of the same resource (a reconcile still running) waits for it, or
    // goes first.
    resources.compute(
        key(namespace, name),
        (k, existing) -> {
          if (existing != null) {
            synchronized (existing) {
              if (existing.uid != null) {
                deletedUids.put(existing.uid, Boolean.TRUE);
              }
              existing.removed = true;
            }
          }
          removeSeriesOf(namespace, name);
          return null;
        });
  }

  // ------------------------------------------------------------------ per resource

  /** The resource's series, registered on first use; null for a resource already deleted. */
  private ResourceSeries seriesOf(DatabaseSchema r) {
    String uid = r.getMetadata().getUid();
    String namespace = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    ResourceSeries[] found = new ResourceSeries[1];
    resources.compute(
        key(namespace, name),
        (k, existing) -> {
          if (uid != null && deletedUids.containsKey(uid)) {
            return existing; // a late report of a deleted resource; existing, if any, is a new one
            // of the same name
          }
          if (existing != null && !existing.removed) {
            existing.uid = uid == null ? existing.uid : uid;
            found[0] = existing;
            return existing;
          }
          // Series left by an earlier instance (an operator restarted in the same JVM) hold its
          // values: start afresh.
          removeSeriesOf(namespace, name);
          found[0] =
              new ResourceSeries(registry, Tags.of("namespace", namespace, "name", name), uid);
          return found[0];
        });
    return found[0];
  }

  private void removeSeriesOf(String namespace, String name) {
    for (Meter m : List.copyOf(registry.getMeters())) {
      Meter.Id id = m.getId();
      if (id.getName().startsWith("tidemark_")
          && namespace.equals(id.getTag("namespace"))
          && name.equals(id.getTag("name"))) {
        registry.remove(m);
      }
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /**
   * The series of one resource. Values are held here: Micrometer keeps only weak references to a
   * gauge's object.
   */
  private static final class ResourceSeries {
    private final MeterRegistry registry;
    private final Tags tags;
    volatile String uid;
    volatile boolean removed;
    final Counter applied;
    final AtomicDouble pending = new AtomicDouble(0);
    final AtomicDouble current = new AtomicDouble(Double.NaN);
    final AtomicDouble target = new AtomicDouble(Double.NaN);
    final AtomicDouble lastSuccess = new AtomicDouble(Double.NaN);
    final AtomicDouble drifted = new AtomicDouble(0);
    final AtomicDouble rollbackFailed = new AtomicDouble(0);
    final AtomicDouble backupSize = new AtomicDouble(Double.NaN);
    private final LabelledGauge phase;
    private final LabelledGauge rollbackFailedGauge;
    private Gauge backupSizeGauge;

    ResourceSeries(MeterRegistry registry, Tags tags, String uid) {
      this.registry = registry;
      this.tags = tags;
      this.uid = uid;
      Gauge.builder("tidemark_pending_revisions", pending, AtomicDouble::get)
          .description("Revisions between the current and the target revision")
          .tags(tags)
          .register(registry);
      Gauge.builder("tidemark_current_revision", current, AtomicDouble::get)
          .description("Current revision as a number (see docs/monitoring.md)")
          .tags(tags)
          .register(registry);
      Gauge.builder("tidemark_target_revision", target, AtomicDouble::get)
          .description("Target revision as a number (see docs/monitoring.md)")
          .tags(tags)
          .register(registry);
      Gauge.builder(
              "tidemark_last_successful_reconcile_timestamp_seconds",
              lastSuccess,
              AtomicDouble::get)
          .description("When the resource was last reconciled without error")
          .tags(tags)
          .register(registry);
      Gauge.builder("tidemark_schema_drifted", drifted, AtomicDouble::get)
          .description("1 while the Drifted condition is True")
          .tags(tags)
          .register(registry);
      // Exists at 0 from the first reconcile, so that increase() sees the first revisions applied.
      applied =
          Counter.builder("tidemark_migrations_applied")
              .description("Revisions applied by migrate Jobs")
              .tags(tags)
              .register(registry);
      phase =
          new LabelledGauge(
              registry,
              tags,
              "phase",
              () ->
                  Gauge.builder("tidemark_phase", () -> 1)
                      .description(
                          "1, labelled with the resource's current phase (one series per resource)"));
      rollbackFailedGauge =
          new LabelledGauge(
              registry,
              tags,
              "strategy",
              () ->
                  Gauge.builder("tidemark_rollback_failed", rollbackFailed, AtomicDouble::get)
                      .description(
                          "1 while status.rolloutWatch.state is RollbackFailed: a rollback of the schema (Undo or Restore) "
                              + "after a failed rollout failed"));
    }

    synchronized void observe(DatabaseSchema r, DatabaseSchemaStatus status) {
      if (removed) {
        return;
      }
      pending.set(status.getPendingRevisions() == null ? 0 : status.getPendingRevisions().size());
      current.set(RevisionNumbers.value(status.getCurrentRevision()));
      target.set(RevisionNumbers.value(status.getTargetRevision()));
      lastSuccess.set(System.currentTimeMillis() / 1000.0);
      drifted.set(conditionTrue(status, "Drifted") ? 1 : 0);
      Phase p = status.getPhase();
      phase.show(p == null ? null : p.name());
      RolloutWatchStatus watch = status.getRolloutWatch();
      rollbackFailed.set(watch != null && watch.getState() == WatchState.ROLLBACK_FAILED ? 1 : 0);
      rollbackFailedGauge.show(strategy(r, watch));
      Long size = status.getLastBackup() == null ? null : status.getLastBackup().getSizeBytes();
      if (size != null) {
        backupSize.set(size.doubleValue());
        if (backupSizeGauge == null) {
          backupSizeGauge =
              Gauge.builder("tidemark_backup_size", backupSize, AtomicDouble::get)
                  .baseUnit("bytes")
                  .description("Size of the last backup")
                  .tags(tags)
                  .register(registry);
        }
      }
    }

    /**
     * The rollback's strategy: the watch's when a rollback ran, else the spec's (Undo by default).
     */
    private static String strategy(DatabaseSchema r, RolloutWatchStatus watch) {
      if (watch != null && watch.getStrategy() != null) {
        return watch.getStrategy();
      }
      return r.getSpec() == null || r.getSpec().getRollback() == null
          ? "Undo"
          : r.getSpec().getRollback().strategyOrDefault().name();
    }

    private static boolean conditionTrue(DatabaseSchemaStatus status, String type) {
      if (status.getConditions() == null) {
        return false;
      }
      for (Condition c : status.getConditions()) {
        if (type.equals(c.getType())) {
          return "True".equals(c.getStatus());
        }
      }
      return false;
    }
  }

  /**
   * One series whose extra label (the phase, a strategy) changes with the resource: the old series
   * is removed and one with the new label registered, so that a resource has one series, not one
   * per label value.
   */
  private static final class LabelledGauge {
    private final MeterRegistry registry;
    private final Tags tags;
    private final String label;
    private final Supplier<Gauge.Builder<?>> builder;
    private String value;
    private Gauge gauge;

    LabelledGauge(
        MeterRegistry registry, Tags tags, String label, Supplier<Gauge.Builder<?>> builder) {
      this.registry = registry;
      this.tags = tags;
      this.label = label;
      this.builder = builder;
    }

    /** Shows {@code newValue} as the label's value; null shows no series. */
    void show(String newValue) {
      if (java.util.Objects.equals(value, newValue)) {
        return;
      }
      if (gauge != null) {
        registry.remove(gauge);
        gauge = null;
      }
      value = newValue;
      if (newValue != null) {
        gauge = builder.get().tags(tags.and(label, newValue)).register(registry);
      }
    }
  }

  /** A double that gauges can read without boxing races. */
  static final class AtomicDouble {
    private final java.util.concurrent.atomic.AtomicLong bits;

    AtomicDouble(double initial) {
      bits = new java.util.concurrent.atomic.AtomicLong(Double.doubleToLongBits(initial));
    }

    double get() {
      return Double.longBitsToDouble(bits.get());
    }

    void set(double value) {
      bits.set(Double.doubleToLongBits(value));
    }
  }
}
