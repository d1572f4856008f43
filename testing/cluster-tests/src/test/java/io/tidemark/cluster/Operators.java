package io.tidemark.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.TidemarkOperator;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.metrics.TidemarkMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The operator as the chart installs it: the chart's ServiceAccount, RBAC and environment. */
final class Operators {
  static final String RELEASE_NAMESPACE = "tidemark-system";
  private static final java.util.concurrent.atomic.AtomicInteger REPLICAS =
      new java.util.concurrent.atomic.AtomicInteger();

  private Operators() {}

  /**
   * One replica; {@code identity} is its name in the leader-election Lease. Closing it twice is
   * harmless.
   */
  static final class Running implements AutoCloseable {
    private final TidemarkOperator operator;
    private final KubernetesClient client;
    private final String identity;
    private final String leaseName;
    private final String user;
    private boolean closed;

    Running(
        TidemarkOperator operator,
        KubernetesClient client,
        String identity,
        String leaseName,
        String user) {
      this.operator = operator;
      this.client = client;
      this.identity = identity;
      this.leaseName = leaseName;
      this.user = user;
    }

    /** The user the API server sees for this replica (its ServiceAccount). */
    String user() {
      return user;
    }

    /** The Lease the chart names for the release. */
    String leaseName() {
      return leaseName;
    }

    String identity() {
      return identity;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        operator.close();
        client.close();
      }
    }
  }

  /** Renders and applies the chart's RBAC (with {@code values}), then starts one replica. */
  static Running start(TestCluster cluster, Map<String, String> values) {
    return start(cluster, RELEASE_NAMESPACE, values);
  }

  /** As {@link #start(TestCluster, Map)}, for a release in {@code releaseNamespace}. */
  static Running start(TestCluster cluster, String releaseNamespace, Map<String, String> values) {
    return start(
        cluster.controlPlane,
        releaseNamespace,
        values,
        settings -> settings.withMaxRetryBackoff(Duration.ofSeconds(20)));
  }

  /**
   * Renders and applies the chart's RBAC on {@code controlPlane}, then starts one replica as the
   * chart's ServiceAccount with the settings the chart's environment gives, changed by {@code
   * adjust}.
   */
  static Running start(
      ControlPlane controlPlane,
      String releaseNamespace,
      Map<String, String> values,
      UnaryOperator<OperatorSettings> adjust) {
    KubernetesClient admin = controlPlane.admin();
    Chart chart = Chart.render(admin, releaseNamespace, values).applyRbac(admin);
    KubernetesClient client = controlPlane.clientAs(releaseNamespace, chart.serviceAccount());
    OperatorSettings settings =
        adjust.apply(OperatorSettings.fromEnvironment(chart.operatorEnvironment()));
    // Replicas share this JVM: each its own identity in the Lease, and none may exit the JVM.
    String identity = "tidemark-" + REPLICAS.incrementAndGet();
    TidemarkOperator operator =
        new TidemarkOperator(
            client,
            settings,
            new TidemarkMetrics(TidemarkMetrics.prometheusRegistry()),
            identity,
            false);
    operator.start();
    return new Running(
        operator,
        client,
        identity,
        settings.leaseName(),
        ControlPlane.userOf(releaseNamespace, chart.serviceAccount()));
  }
}
