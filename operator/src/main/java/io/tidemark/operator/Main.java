package io.tidemark.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.local.LocalMode;
import io.tidemark.operator.metrics.HttpEndpoints;
import io.tidemark.operator.metrics.TidemarkMetrics;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tidemark-operator run}: the operator in a cluster (kubeconfig or in-cluster service
 * account, leader election, /metrics, /healthz, /readyz). {@code tidemark-operator local}: the
 * whole flow on this machine, with an in-process API server, an embedded PostgreSQL and the local
 * Job executor.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "run" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (mode) {
      case "run":
        runInCluster();
        break;
      case "local":
        System.exit(LocalMode.run(rest, System.out));
        break;
      case "-h":
      case "--help":
      case "help":
        System.out.println("usage: tidemark-operator [run | local [--keep-running] [--examples DIR] [--kubeconfig FILE]]");
        System.out.println("  run    the operator against the cluster of the current kubeconfig or service account");
        System.out.println("  local  the operator, an in-process API server, an embedded PostgreSQL and the local");
        System.out.println("         Job executor, applying examples/todo and showing the status as it changes;");
        System.out.println("         with --kubeconfig FILE, that API server instead, this machine joining as a Node");
        break;
      default:
        System.err.println("unknown mode " + mode + "; see --help");
        System.exit(2);
    }
  }

  private static void runInCluster() throws Exception {
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    PrometheusMeterRegistry registry = prometheusRegistry();
    KubernetesClient client = new KubernetesClientBuilder().build();
    TidemarkOperator operator = new TidemarkOperator(client, settings, new TidemarkMetrics(registry));
    HttpEndpoints http = new HttpEndpoints(settings.httpPort(), registry, operator::isAlive, operator::isReady);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      operator.close();
      http.close();
      client.close();
      stopped.countDown();
    }, "tidemark-shutdown"));
    operator.start();
    LOG.info("Tidemark operator started (namespaces: {}, leader election: {}, http port {})",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(), settings.leaderElection(),
        http.port());
    stopped.await();
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
}
