package io.tidemark.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.metrics.HttpEndpoints;
import io.tidemark.operator.metrics.TidemarkMetrics;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tidemark-operator run}: the operator in a cluster (kubeconfig or in-cluster service
 * account, leader election, /metrics, /healthz, /readyz). Nothing else: local mode (an in-process
 * API server, an embedded PostgreSQL and the local Job executor) is the tidemark-local jar, which
 * this jar does not contain.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "run" : args[0];
    switch (mode) {
      case "run":
        runInCluster();
        break;
      case "local":
        System.err.println(
            "local mode is not part of the operator's jar; it is the tidemark-local jar:");
        System.err.println(
            "  ./mvnw -B package -DskipTests && java -jar local/target/tidemark-local.jar"
                + " [--keep-running] [--examples DIR] [--kubeconfig FILE]");
        System.exit(2);
        break;
      case "-h":
      case "--help":
      case "help":
        System.out.println("usage: tidemark-operator [run]");
        System.out.println(
            "  run    the operator against the cluster of the current kubeconfig or service account");
        break;
      default:
        System.err.println("unknown mode " + mode + "; see --help");
        System.exit(2);
    }
  }

  private static void runInCluster() throws Exception {
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    PrometheusMeterRegistry registry = TidemarkMetrics.prometheusRegistry();
    KubernetesClient client = new KubernetesClientBuilder().build();
    TidemarkOperator operator =
        new TidemarkOperator(client, settings, new TidemarkMetrics(registry));
    HttpEndpoints http =
        new HttpEndpoints(settings.httpPort(), registry, operator::isAlive, operator::isReady);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping");
                  operator.close();
                  http.close();
                  client.close();
                  stopped.countDown();
                },
                "tidemark-shutdown"));
    operator.start();
    LOG.info(
        "Tidemark operator started (namespaces: {}, leader election: {}, http port {})",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        settings.leaderElection(),
        http.port());
    stopped.await();
  }
}
