package io.tidemark.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.Main;
import io.tidemark.operator.TidemarkOperator;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.metrics.TidemarkMetrics;
import java.time.Duration;
import java.util.Map;

/** The operator as the chart installs it: the chart's ServiceAccount, RBAC and environment. */
final class Operators {
  static final String RELEASE_NAMESPACE = "tidemark-system";
  private static final java.util.concurrent.atomic.AtomicInteger REPLICAS = new java.util.concurrent.atomic.AtomicInteger();

  private Operators() {}

  record Running(TidemarkOperator operator, KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      operator.close();
      client.close();
    }
  }

  /** Renders and applies the chart's RBAC (with {@code values}), then starts one replica. */
  static Running start(TestCluster cluster, Map<String, String> values) {
    Chart chart = Chart.render(cluster.admin, RELEASE_NAMESPACE, values).applyRbac(cluster.admin);
    KubernetesClient client = cluster.controlPlane.clientAs(RELEASE_NAMESPACE, chart.serviceAccount());
    OperatorSettings settings = OperatorSettings.fromEnvironment(chart.operatorEnvironment())
        .withMaxRetryBackoff(Duration.ofSeconds(20));
    // Replicas share this JVM: each its own identity in the Lease, and none may exit the JVM.
    TidemarkOperator operator = new TidemarkOperator(client, settings, new TidemarkMetrics(Main.prometheusRegistry()),
        "tidemark-" + REPLICAS.incrementAndGet(), false);
    operator.start();
    return new Running(operator, client);
  }
}
