package io.tidemark.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
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
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tidemark's own metrics (docs/monitoring.md). Labels are bounded: the resource's namespace and
 * name, plus small fixed enumerations (action, outcome, strategy, phase); never a revision or a
 * message, which would make the series unbounded.
 */
public class TidemarkMetrics {
  private static final Duration[] DURATION_BUCKETS = {
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
      Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
      Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(6)};

  private final MeterRegistry registry;
  private final Map<String, ResourceGauges> gauges = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong();

  public TidemarkMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A Prometheus registry with the JVM's own metrics, which the alerts on the operator itself use. */
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

  /** A migrate, undo or restore Job finished. */
  public void changeFinished(DatabaseSchema r, String action, boolean succeeded, Duration took, int revisionsApplied) {
    String outcome = succeeded ? "succeeded" : "failed";
    Timer.builder("tidemark_migration_duration")
        .description("Duration of migrate, undo and restore Jobs")
        .tags(tags(r).and("action", action, "outcome", outcome))
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry)
        .record(took);
    switch (action) {
      case "migrate":
        if (succeeded) {
          counter(Counters.APPLIED, tags(r)).increment(revisionsApplied);
        }
        break;
      case "undo":
        counter(Counters.UNDO_RUNS, tags(r).and("outcome", outcome)).increment();
        break;
      case "restore":
        counter(Counters.RESTORE_RUNS, tags(r).and("outcome", outcome)).increment();
        break;
      default:
        throw new IllegalArgumentException(action);
    }
    if (!succeeded && !"restore".equals(action)) {
      counter(Counters.FAILED, tags(r)).increment();
    }
  }

  public void backupFinished(DatabaseSchema r, boolean succeeded, Duration took, Long sizeBytes) {
    Timer.builder("tidemark_backup_duration")
        .description("Duration of backup Jobs")
        .tags(tags(r).and("outcome", succeeded ? "succeeded" : "failed"))
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry)
        .record(took);
    if (succeeded) {
      if (sizeBytes != null) {
        gaugesOf(r).backupSize.set(sizeBytes.doubleValue());
      }
    } else {
      counter(Counters.BACKUP_FAILURES, tags(r)).increment();
    }
  }

  public void rollback(DatabaseSchema r, String strategy) {
    counter(Counters.ROLLBACKS, tags(r).and("strategy", strategy)).increment();
  }

  /** Mirrors the status into gauges after every reconcile. */
  public void observe(DatabaseSchema r, DatabaseSchemaStatus status, boolean reconcileSucceeded) {
    ResourceGauges g = gaugesOf(r);
    g.pending.set(status.getPendingRevisions() == null ? 0 : status.getPendingRevisions().size());
    g.current.set(RevisionNumbers.value(status.getCurrentRevision()));
    g.target.set(RevisionNumbers.value(status.getTargetRevision()));
    g.phase.set(status.getPhase());
    if (reconcileSucceeded) {
      g.lastSuccess.set(System.currentTimeMillis() / 1000.0);
    }
  }

  /**
   * Drops the series of resources that no longer exist. Without a finalizer the operator is not
   * told of a deletion, so it compares with the resources it knows, at most once a minute.
   */
  public void forgetAllBut(java.util.function.Supplier<java.util.Collection<DatabaseSchema>> existing) {
    long nowMillis = System.currentTimeMillis();
    long last = lastSweep.get();
    if (nowMillis - last < 60_000 || !lastSweep.compareAndSet(last, nowMillis)) {
      return;
    }
    java.util.Set<String> keep = new java.util.HashSet<>();
    existing.get().forEach(r -> keep.add(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()));
    for (String key : java.util.List.copyOf(gauges.keySet())) {
      if (!keep.contains(key)) {
        int slash = key.indexOf('/');
        forget(key.substring(0, slash), key.substring(slash + 1));
      }
    }
  }

  /** The resource is gone: drop its series. */
  public void forget(String namespace, String name) {
    gauges.remove(namespace + "/" + name);
    // Every Tidemark series of the resource: gauges, counters, timers.
    for (io.micrometer.core.instrument.Meter m : java.util.List.copyOf(registry.getMeters())) {
      if (m.getId().getName().startsWith("tidemark_") && namespace.equals(m.getId().getTag("namespace"))
          && name.equals(m.getId().getTag("name"))) {
        registry.remove(m);
      }
    }
  }

  /** Tidemark's counters, named and described once. */
  private enum Counters {
    APPLIED("tidemark_migrations_applied", "Revisions applied by migrate Jobs"),
    FAILED("tidemark_migrations_failed", "migrate and undo Jobs that failed"),
    UNDO_RUNS("tidemark_undo_runs", "undo Jobs run"),
    RESTORE_RUNS("tidemark_restore_runs", "restore Jobs run"),
    BACKUP_FAILURES("tidemark_backup_failures", "backup Jobs that failed"),
    ROLLBACKS("tidemark_rollbacks", "Rollbacks after a failed application rollout");

    final String metric;
    final String description;

    Counters(String metric, String description) {
      this.metric = metric;
      this.description = description;
    }
  }

  private static Counter counter(MeterRegistry registry, Counters kind, Tags tags) {
    return Counter.builder(kind.metric).description(kind.description).tags(tags).register(registry);
  }

  private Counter counter(Counters kind, Tags tags) {
    return counter(registry, kind, tags);
  }

  private static Tags tags(DatabaseSchema r) {
    return Tags.of("namespace", r.getMetadata().getNamespace(), "name", r.getMetadata().getName());
  }

  private ResourceGauges gaugesOf(DatabaseSchema r) {
    return gauges.computeIfAbsent(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
        k -> new ResourceGauges(registry, tags(r)));
  }

  /** The gauges of one resource; values are held here because Micrometer keeps only weak references. */
  private static final class ResourceGauges {
    final AtomicDouble pending = new AtomicDouble(0);
    final AtomicDouble current = new AtomicDouble(Double.NaN);
    final AtomicDouble target = new AtomicDouble(Double.NaN);
    final AtomicDouble backupSize = new AtomicDouble(Double.NaN);
    final AtomicDouble lastSuccess = new AtomicDouble(Double.NaN);
    final AtomicReference<Phase> phase = new AtomicReference<>();

    ResourceGauges(MeterRegistry registry, Tags tags) {
      Gauge.builder("tidemark_pending_revisions", pending, AtomicDouble::get)
          .description("Revisions between the current and the target revision").tags(tags).register(registry);
      Gauge.builder("tidemark_current_revision", current, AtomicDouble::get)
          .description("Current revision as a number (see docs/monitoring.md)").tags(tags).register(registry);
      Gauge.builder("tidemark_target_revision", target, AtomicDouble::get)
          .description("Target revision as a number (see docs/monitoring.md)").tags(tags).register(registry);
      Gauge.builder("tidemark_backup_size", backupSize, AtomicDouble::get).baseUnit("bytes")
          .description("Size of the last backup").tags(tags).register(registry);
      Gauge.builder("tidemark_last_successful_reconcile_timestamp_seconds", lastSuccess, AtomicDouble::get)
          .description("When the resource was last reconciled without error").tags(tags).register(registry);
      // Counters exist at 0 from the first reconcile, so that increase() sees a first failure as a change.
      counter(registry, Counters.APPLIED, tags);
      counter(registry, Counters.FAILED, tags);
      counter(registry, Counters.BACKUP_FAILURES, tags);
      counter(registry, Counters.ROLLBACKS, tags.and("strategy", "Undo"));
      counter(registry, Counters.ROLLBACKS, tags.and("strategy", "Restore"));
      for (Phase p : Phase.values()) {
        Gauge.builder("tidemark_phase", phase, ref -> ref.get() == p ? 1 : 0)
            .description("1 for the resource's current phase").tags(tags.and("phase", p.name())).register(registry);
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
