package io.tidemark.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.metrics.TidemarkMetrics;
import io.tidemark.operator.reconcile.DatabaseSchemaReconciler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Assembles java-operator-sdk's Operator with Tidemark's reconciler, the same way in a cluster, in
 * local mode and in tests, so that the tested path is the shipped path.
 */
public final class TidemarkOperator implements AutoCloseable {

  private final Operator operator;
  private final TidemarkMetrics metrics;
  private final boolean leaderElection;
  private final AtomicBoolean leading = new AtomicBoolean(false);

  public TidemarkOperator(
      KubernetesClient client, OperatorSettings settings, TidemarkMetrics metrics) {
    // In a cluster HOSTNAME is the Pod's name: one identity per replica. A replica that loses the
    // Lease exits, so that Kubernetes restarts it as a clean standby.
    this(client, settings, metrics, System.getenv("HOSTNAME"), true);
  }

  /**
   * @param leaderIdentity this replica's name in the Lease (null or blank: a random one)
   * @param exitOnStopLeading whether losing the Lease ends the process (replicas sharing one JVM,
   *     as in tests, must not)
   */
  public TidemarkOperator(
      KubernetesClient client,
      OperatorSettings settings,
      TidemarkMetrics metrics,
      String leaderIdentity,
      boolean exitOnStopLeading) {
    this.metrics = metrics;
    this.leaderElection = settings.leaderElection();
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  // The mock API server used by tests and local mode has no server-side apply;
                  // neither do we.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  // The CRD is installed by the chart; the operator does not need to read CRDs
                  // (least privilege).
                  .checkingCRDAndValidateLocalModel(false)
                  .withCloseClientOnStop(false)
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
                  // java-operator-sdk's metrics per controller, not per resource; the delete events
                  // drop Tidemark's series.
                  .withMetrics(metrics.operatorSdkMetrics());
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        settings.leaseName(),
                        settings.leaderElectionNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        leaderIdentity == null || leaderIdentity.isBlank() ? null : leaderIdentity,
                        new LeaderCallbacks(
                            () -> leading.set(true), () -> leading.set(false), leader -> {}),
                        exitOnStopLeading));
              }
            });
    DatabaseSchemaReconciler reconciler = new DatabaseSchemaReconciler(client, settings, metrics);
    operator.register(
        reconciler,
        c -> {
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

  /**
   * Ready once started; the leader (or the only replica) also needs healthy informers. A standby
   * replica has not started its informers and is still ready, or rolling updates of two replicas
   * would stall waiting for it.
   */
  public boolean isReady() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return false;
    }
    return (leaderElection && !leading.get())
        || operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public boolean isAlive() {
    return operator.getRuntimeInfo().isStarted();
  }

  public TidemarkMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
