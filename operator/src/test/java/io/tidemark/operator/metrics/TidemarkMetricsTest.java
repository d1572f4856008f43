package io.tidemark.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.WatchState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The per-resource series: what they say, that there is one per fact, and that a delete removes
 * them.
 */
class TidemarkMetricsTest {
  private final PrometheusMeterRegistry registry = TidemarkMetrics.prometheusRegistry();
  private final TidemarkMetrics metrics = new TidemarkMetrics(registry);

  @Test
  void theDeleteEventRemovesEverySeriesOfTheResourceAndOnlyItsOwn() {
    DatabaseSchema gone = resource("shop", "gone", "uid-1");
    DatabaseSchema kept = resource("shop", "kept", "uid-2");
    DatabaseSchemaStatus status = status(Phase.Ready);
    metrics.observe(gone, status);
    metrics.observe(kept, status);
    metrics.changeFinished(gone, "migrate", true, Duration.ofSeconds(3), 2);
    assertThat(seriesOf("gone")).hasSizeGreaterThanOrEqualTo(8);

    // What java-operator-sdk calls when the resource's delete event arrives (no finalizer needed).
    metrics.operatorSdkMetrics().cleanupDoneFor(new ResourceID("gone", "shop"), Map.of());

    assertThat(seriesOf("gone")).isEmpty();
    assertThat(seriesOf("kept")).hasSameSizeAs(seriesOf("kept")).isNotEmpty();
    // The fleet's durations stay: they are not the resource's.
    assertThat(registry.scrape())
        .contains(
            "tidemark_migration_duration_seconds_count{action=\"migrate\",outcome=\"succeeded\"} 1");
  }

  @Test
  void aReconcileThatEndsAfterTheDeleteDoesNotBringTheSeriesBack() {
    DatabaseSchema r = resource("shop", "todo", "uid-1");
    metrics.observe(r, status(Phase.Migrating));
    metrics.forget("shop", "todo");
    // The reconcile that was running when the delete arrived reports last.
    metrics.changeFinished(r, "migrate", true, Duration.ofSeconds(3), 1);
    metrics.observe(r, status(Phase.Ready));
    assertThat(seriesOf("todo")).isEmpty();

    // A new resource of the same name (a new uid) has series again.
    metrics.observe(resource("shop", "todo", "uid-2"), status(Phase.Pending));
    assertThat(seriesOf("todo"))
        .contains("tidemark_phase{name=\"todo\",namespace=\"shop\",phase=\"Pending\"} 1.0");
  }

  @Test
  void onePhaseSeriesLabelledWithTheCurrentPhase() {
    DatabaseSchema r = resource("shop", "todo", "uid-1");
    for (Phase p : Phase.values()) {
      metrics.observe(r, status(p));
      assertThat(seriesOf("todo").stream().filter(s -> s.startsWith("tidemark_phase{")))
          .containsExactly(
              "tidemark_phase{name=\"todo\",namespace=\"shop\",phase=\"" + p.name() + "\"} 1.0");
    }
  }

  @Test
  void driftAndAFailedRollbackOfEitherStrategyAreGauges() {
    DatabaseSchema r = resource("shop", "todo", "uid-1");
    DatabaseSchemaStatus status = status(Phase.Ready);
    metrics.observe(r, status);
    assertThat(seriesOf("todo"))
        .contains(
            "tidemark_schema_drifted{name=\"todo\",namespace=\"shop\"} 0.0",
            // Before any rollback: the spec's strategy.
            "tidemark_rollback_failed{name=\"todo\",namespace=\"shop\",strategy=\"Restore\"} 0.0");

    status.getConditions().add(drifted());
    RolloutWatchStatus watch = new RolloutWatchStatus();
    watch.setStrategy("Undo");
    watch.setState(WatchState.ROLLBACK_FAILED);
    status.setRolloutWatch(watch);
    status.setPhase(Phase.Failed);
    metrics.observe(r, status);
    assertThat(seriesOf("todo"))
        .contains(
            "tidemark_schema_drifted{name=\"todo\",namespace=\"shop\"} 1.0",
            "tidemark_rollback_failed{name=\"todo\",namespace=\"shop\",strategy=\"Undo\"} 1.0")
        .noneMatch(s -> s.contains("strategy=\"Restore\""));

    status.setRolloutWatch(watch.moved(WatchState.SUPERSEDED, "a new spec"));
    status.getConditions().clear();
    metrics.observe(r, status);
    assertThat(seriesOf("todo"))
        .contains(
            "tidemark_schema_drifted{name=\"todo\",namespace=\"shop\"} 0.0",
            "tidemark_rollback_failed{name=\"todo\",namespace=\"shop\",strategy=\"Undo\"} 0.0");
  }

  @Test
  void aSecondInstanceOnTheSameRegistryReportsItsOwnValues() {
    // Local mode and the tests restart the operator in one JVM, on one registry.
    DatabaseSchema r = resource("shop", "todo", "uid-1");
    metrics.observe(r, status(Phase.Migrating));
    TidemarkMetrics restarted = new TidemarkMetrics(registry);
    restarted.observe(r, status(Phase.Ready));
    assertThat(seriesOf("todo").stream().filter(s -> s.startsWith("tidemark_phase{")))
        .containsExactly("tidemark_phase{name=\"todo\",namespace=\"shop\",phase=\"Ready\"} 1.0");
    assertThat(registry.scrape().lines().filter(l -> l.startsWith("tidemark_build_info{")))
        .hasSize(1);
  }

  private List<String> seriesOf(String name) {
    return registry
        .scrape()
        .lines()
        .filter(l -> !l.startsWith("#") && l.contains("name=\"" + name + "\""))
        .collect(Collectors.toList());
  }

  private static DatabaseSchemaStatus status(Phase phase) {
    DatabaseSchemaStatus status = new DatabaseSchemaStatus();
    status.setPhase(phase);
    status.setCurrentRevision("7");
    status.setTargetRevision("7");
    return status;
  }

  private static DatabaseSchema resource(String namespace, String name, String uid) {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setNamespace(namespace);
    r.getMetadata().setName(name);
    r.getMetadata().setUid(uid);
    r.setSpec(new io.tidemark.operator.model.DatabaseSchemaSpec());
    RollbackSpec rollback = new RollbackSpec();
    rollback.setStrategy(RollbackSpec.RollbackStrategy.Restore);
    r.getSpec().setRollback(rollback);
    return r;
  }

  /** The condition the operator sets when a plan finds the schema changed outside Tidemark. */
  static Condition drifted() {
    return new ConditionBuilder()
        .withType("Drifted")
        .withStatus("True")
        .withReason("SchemaChangedOutside")
        .build();
  }
}
