package io.tidemark.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.metrics.TidemarkMetrics;
import io.tidemark.operator.reconcile.DatabaseSchemaReconciler;
import io.tidemark.operator.model.DatabaseSchema;
import java.time.Duration;

/**
 * Assembles java-operator-sdk's Operator with Tidemark's reconciler, the same way in a cluster,
 * in local mode and in tests, so that the tested path is the shipped path.
 */
public final class TidemarkOperator implements AutoCloseable {
  public static final String LEASE_NAME = "tidemark-operator-leader";

  private final Operator operator;
  private final TidemarkMetrics metrics;

  public TidemarkOperator(KubernetesClient client, OperatorSettings settings, TidemarkMetrics metrics) {
    this.metrics = metrics;
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // The mock API server used by tests and local mode has no server-side apply; neither do we.
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          // The CRD is installed by the chart; the operator does not need to read CRDs (least privilege).
          .checkingCRDAndValidateLocalModel(false)
          .withCloseClientOnStop(false)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(metrics.registry())
              .withCleanUpDelayInSeconds(60).withCleaningThreadNumber(1).build());
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, settings.leaderElectionNamespace()));
      }
    });
    DatabaseSchemaReconciler reconciler = new DatabaseSchemaReconciler(client, settings, metrics);
    operator.register(reconciler, c -> {
      if (settings.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.watchNamespaces());
      }
    });
  }

  public void start() {
    operator.start();
  }

  /** True once the informers have synced and (with leader election) this replica leads or waits to. */
  public boolean isReady() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public boolean isAlive() {
    return operator.getRuntimeInfo().isStarted();
  }

  public TidemarkMetrics metrics() {
    return metrics;
  }

  public static Class<DatabaseSchema> resourceClass() {
    return DatabaseSchema.class;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
