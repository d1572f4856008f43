package io.tidemark.local;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.operator.TidemarkOperator;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.metrics.TidemarkMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster on this machine: the fabric8 mock API server in CRUD mode, an embedded PostgreSQL, the
 * local Job executor and the operator, assembled exactly as local mode ({@link LocalMain}) and the
 * end-to-end tests use them. Never used in a cluster.
 */
public final class LocalCluster implements LocalEnvironment {
  /** Where the build puts the CRD generated from the model (and the jar carries it). */
  public static final String CRD_RESOURCE =
      "META-INF/fabric8/databaseschemas.db.tidemark.io-v1.yml";

  /**
   * The mock server logs every request through java.util.logging; held here so the level sticks.
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final LocalPostgres postgres;
  private final LocalJobExecutor executor;
  private final OperatorSettings settings;
  private final PrometheusMeterRegistry registry;
  private TidemarkOperator operator;

  private LocalCluster(
      ImageCatalog images,
      LocalVolumes volumes,
      OperatorSettings settings,
      LogSink logSink,
      int parallelism,
      ContainerRunner containerRunner,
      RunnerEntrypoint runnerEntrypoint)
      throws IOException {
    this.settings = settings;
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    this.server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    this.client = server.createClient();
    installCrd();
    this.postgres = LocalPostgres.start();
    LocalJobExecutor.Builder builder =
        LocalJobExecutor.builder(client).images(images).volumes(volumes).parallelism(parallelism);
    if (logSink != null) {
      builder.logSink(logSink);
    }
    if (containerRunner != null) {
      builder.containerRunner(containerRunner);
    }
    if (runnerEntrypoint != null) {
      builder.runnerEntrypoint(runnerEntrypoint);
    }
    this.executor = builder.start();
    this.registry = TidemarkMetrics.prometheusRegistry();
  }

  public static Builder builder() {
    return new Builder();
  }

  private void installCrd() {
    try (InputStream in = LocalCluster.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CRD_RESOURCE + " is not on the classpath: build the operator module first");
      }
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts (or, after {@link #stopOperator()}, restarts) the operator. */
  @Override
  public synchronized TidemarkOperator startOperator() {
    return startOperator(settings);
  }

  /**
   * Starts the operator with other settings than the cluster was built with (e.g. a short re-plan
   * interval).
   */
  public synchronized TidemarkOperator startOperator(OperatorSettings other) {
    if (operator == null) {
      operator = new TidemarkOperator(client, other, new TidemarkMetrics(registry));
      operator.start();
    }
    return operator;
  }

  /**
   * Stops the operator as a crash or a rollout would: Jobs keep running, state stays in the API
   * server.
   */
  public synchronized void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** Creates a login role and a database it owns; identifiers are checked, the password quoted. */
  @Override
  public void createDatabase(String database, String user, String password) {
    postgres.createDatabase(database, user, password);
  }

  /** A JDBC connection to a database as the superuser, for checking what the Jobs did. */
  public Connection connect(String database) throws SQLException {
    return postgres.connect(database);
  }

  @Override
  public int postgresPort() {
    return postgres.port();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public void mapClaim(String namespace, String claim, Path folder) {
    executor.volumes().mapClaim(namespace, claim, folder);
  }

  /** The local Job executor runs every Pod here. */
  @Override
  public Map<String, String> nodeSelector() {
    return Map.of();
  }

  @Override
  public String describe() {
    return "in-process API server, embedded PostgreSQL, local Job executor";
  }

  public LocalJobExecutor executor() {
    return executor;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * The mock API server, for the operator benchmark: it counts the requests it served and keeps
   * each one (with its body) until taken, so a long run must drain them with {@code takeRequest}.
   */
  public KubernetesMockServer mockServer() {
    return server;
  }

  public synchronized TidemarkOperator operator() {
    return operator;
  }

  @Override
  public void close() {
    stopOperator();
    executor.close();
    client.close();
    server.destroy();
    postgres.close();
  }

  /** Options of a local cluster. */
  public static final class Builder {
    private ImageCatalog images = ImageCatalog.withPostgresTools();
    private LocalVolumes volumes;
    private OperatorSettings settings = OperatorSettings.defaults();
    private LogSink logSink;
    private int parallelism = 2;
    private ContainerRunner containerRunner;
    private RunnerEntrypoint runnerEntrypoint;

    /** How the runner image's entrypoint starts (JVM options, e.g. a hosts file for its names). */
    public Builder runnerEntrypoint(RunnerEntrypoint entrypoint) {
      this.runnerEntrypoint = entrypoint;
      return this;
    }

    public Builder runnerImage(String image, Path migrations) {
      images.addRunner(image, migrations);
      return this;
    }

    public Builder images(ImageCatalog catalog) {
      this.images = catalog;
      return this;
    }

    public Builder volumes(LocalVolumes localVolumes) {
      this.volumes = localVolumes;
      return this;
    }

    public Builder settings(OperatorSettings operatorSettings) {
      this.settings = operatorSettings;
      return this;
    }

    public Builder logSink(LogSink sink) {
      this.logSink = sink;
      return this;
    }

    public Builder parallelism(int containersAtOnce) {
      this.parallelism = containersAtOnce;
      return this;
    }

    public Builder containerRunner(ContainerRunner runner) {
      this.containerRunner = runner;
      return this;
    }

    public LocalCluster start() throws IOException {
      return new LocalCluster(
          images,
          volumes == null ? LocalVolumes.temporary() : volumes,
          settings,
          logSink,
          parallelism,
          containerRunner,
          runnerEntrypoint);
    }
  }
}
