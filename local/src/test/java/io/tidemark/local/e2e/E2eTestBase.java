package io.tidemark.local.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.tidemark.local.ImageCatalog;
import io.tidemark.local.LocalCluster;
import io.tidemark.local.RunnerEntrypoint;
import io.tidemark.local.ToolsImage;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.local.testsupport.SchemaStatus;
import io.tidemark.local.testsupport.Sql;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobSettings;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * End-to-end tests run the real operator against the fabric8 mock API server (CRUD mode), with the
 * local Job executor running the real runner and pg_dump against an embedded PostgreSQL. One
 * cluster per test class; every test works in its own namespace and database.
 */
abstract class E2eTestBase {
  static final Path EXAMPLE_CHAIN =
      Path.of("..", "examples", "todo", "migrations").toAbsolutePath().normalize();
  static final Path CHAINS = Path.of("src", "test", "resources", "chains").toAbsolutePath();
  static final String TODO_IMAGE = "registry.example.com/todo-migrations:1.7.0";
  static final String FAILING_IMAGE = "registry.example.com/shop-migrations:broken";
  static final String FIXED_IMAGE = "registry.example.com/shop-migrations:fixed";
  static final String RETRYABLE_IMAGE = "registry.example.com/shop-migrations:retryable";
  static final String NO_UNDO_IMAGE = "registry.example.com/shop-migrations:no-undo";

  /** A backup image whose pg_dump fails as on a full volume. */
  static final String FULL_VOLUME_BACKUP_IMAGE = "registry.example.com/postgres-full-volume:15";

  static final Path TOOLS = Path.of("src", "test", "resources", "tools").toAbsolutePath();
  static final String USER = "app";
  static final String PASSWORD = "s3cr3t-Pa55word!";
  static final Duration FLOW_TIMEOUT = Duration.ofSeconds(120);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  static LocalCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void startCluster() throws Exception {
    if (cluster != null) {
      return;
    }
    cluster =
        LocalCluster.builder()
            .images(
                ImageCatalog.withPostgresTools()
                    .addRunner(TODO_IMAGE, EXAMPLE_CHAIN)
                    .addRunner(FAILING_IMAGE, CHAINS.resolve("failing"))
                    .addRunner(FIXED_IMAGE, CHAINS.resolve("fixed"))
                    .addRunner(RETRYABLE_IMAGE, CHAINS.resolve("retryable"))
                    .addRunner(NO_UNDO_IMAGE, CHAINS.resolve("no-undo"))
                    // The base runner image, for scripts from a ConfigMap: no scripts of its own.
                    .addRunner(
                        JobSettings.DEFAULT_RUNNER_IMAGE,
                        java.nio.file.Files.createTempDirectory("tidemark-base-runner"))
                    .add(
                        FULL_VOLUME_BACKUP_IMAGE,
                        ToolsImage.withToolsFrom(TOOLS.resolve("full-volume"))))
            .settings(settings())
            .runnerEntrypoint(runnerWithClusterDns())
            .start();
    client = cluster.client();
    cluster.startOperator();
  }

  /** A Service name the runner resolves to this host, as cluster DNS would: a CloudNativePG one. */
  static final String CLUSTER_SERVICE = "todo-pg-rw";

  /**
   * The runner as shipped, resolving names from a hosts file that also maps {@link
   * #CLUSTER_SERVICE} to this host: the JVM's own resolver reads only that file
   * (jdk.net.hosts.file), so it lists localhost too. Only the runner's JVM sees it; pg_dump does
   * not.
   */
  static RunnerEntrypoint runnerWithClusterDns() throws java.io.IOException {
    Path hosts = java.nio.file.Files.createTempFile("tidemark-hosts", ".txt");
    java.nio.file.Files.writeString(
        hosts, "127.0.0.1 localhost " + CLUSTER_SERVICE + "\n::1 localhost\n");
    RunnerEntrypoint shipped = RunnerEntrypoint.defaults();
    List<String> options = new ArrayList<>(shipped.jvmOptions());
    options.add("-Djdk.net.hosts.file=" + hosts);
    return new RunnerEntrypoint(
        shipped.javaBinary(), options, shipped.classpath(), shipped.mainClass());
  }

  /**
   * Short backoffs so that transient-failure tests don't wait minutes; everything else as shipped.
   */
  static OperatorSettings settings() {
    return OperatorSettings.defaults()
        .withMaxRetryBackoff(Duration.ofSeconds(20))
        .withBlockedRecheck(Duration.ofSeconds(3))
        .withJobs(OperatorSettings.defaults().jobs().withConnectRetries(0));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /**
   * A fresh namespace with the credentials Secret and a backup claim, and a database of the same
   * name.
   */
  static String newNamespaceWithDatabase() {
    String ns =
        "t" + SEQUENCE.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 100000, 36);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    client.resource(Manifests.credentialsSecret(ns, USER, PASSWORD)).create();
    client.resource(Manifests.backupClaim(ns, Manifests.BACKUP_CLAIM)).create();
    cluster.createDatabase(ns, USER, PASSWORD);
    return ns;
  }

  /** A DatabaseSchema on the namespace's database, backups on, with the given image and target. */
  static DatabaseSchema schema(String ns, String name, String image, String target) {
    return Manifests.schema(ns, name, image, target, cluster.postgresPort(), ns);
  }

  static DatabaseSchema create(DatabaseSchema r) {
    return client.resource(r).create();
  }

  static Resource<DatabaseSchema> resource(String ns, String name) {
    return client.resources(DatabaseSchema.class).inNamespace(ns).withName(name);
  }

  /** A lower target, allowed: a downgrade is a decision (spec.allowDowngrade). */
  static void downgrade(DatabaseSchema r, String target) {
    r.getSpec().setAllowDowngrade(true);
    r.getSpec().setTargetRevision(target);
  }

  static DatabaseSchema edit(String ns, String name, Consumer<DatabaseSchema> change) {
    return resource(ns, name)
        .edit(
            r -> {
              change.accept(r);
              return r;
            });
  }

  static void label(DatabaseSchema r, String key, String value) {
    if (r.getMetadata().getLabels() == null) {
      r.getMetadata().setLabels(new java.util.HashMap<>());
    }
    r.getMetadata().getLabels().put(key, value);
  }

  static void annotate(DatabaseSchema r, String key, String value) {
    if (r.getMetadata().getAnnotations() == null) {
      r.getMetadata().setAnnotations(new java.util.HashMap<>());
    }
    r.getMetadata().getAnnotations().put(key, value);
  }

  static DatabaseSchema get(String ns, String name) {
    return resource(ns, name).get();
  }

  /** Waits until the status is current for the generation and matches. */
  static DatabaseSchema awaitStatus(String ns, String name, Predicate<DatabaseSchema> condition) {
    return SchemaStatus.awaitStatus(
        resource(ns, name), FLOW_TIMEOUT, Duration.ofMillis(200), condition);
  }

  static DatabaseSchema awaitReadyAt(String ns, String name, String revision) {
    return awaitStatus(ns, name, SchemaStatus.readyAt(revision));
  }

  static DatabaseSchema awaitPhase(String ns, String name, Phase phase) {
    return awaitStatus(ns, name, r -> r.getStatus().getPhase() == phase);
  }

  static Optional<Condition> condition(DatabaseSchema r, String type) {
    return SchemaStatus.condition(r, type);
  }

  static List<Job> jobs(String ns, Step step) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withLabel(JobFactory.LABEL_STEP, step.label())
        .list()
        .getItems();
  }

  static List<Job> allJobs(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems();
  }

  static List<Event> events(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  static List<String> eventReasons(String ns, String name) {
    return events(ns, name).stream().map(Event::getReason).toList();
  }

  static List<String> column(String database, String sql) throws SQLException {
    return Sql.column(cluster.connect(database), sql);
  }

  static void execute(String database, String sql) throws SQLException {
    Sql.execute(cluster.connect(database), sql);
  }

  static List<String> tables(String database) throws SQLException {
    return column(
        database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  }

  static List<String> appliedVersions(String database) throws SQLException {
    return column(database, Sql.APPLIED_VERSIONS);
  }

  /**
   * Waits until the operator has reconciled the resource once more (Tidemark's gauge of its last
   * successful reconcile moved: it is set at the end of every reconcile, after any Job was
   * created), so that a test can then assert that the reconcile started nothing.
   */
  static void awaitReconciledAfter(String ns, String name) {
    double before = lastReconciled(ns, name);
    resource(ns, name)
        .edit(
            x -> {
              label(x, "touched", Long.toString(System.nanoTime()));
              return x;
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> lastReconciled(ns, name) > before);
  }

  /** Seconds since the epoch of the resource's last successful reconcile; 0 before the first. */
  private static double lastReconciled(String ns, String name) {
    var gauge =
        cluster
            .registry()
            .find("tidemark_last_successful_reconcile_timestamp_seconds")
            .tags("namespace", ns, "name", name)
            .gauge();
    double value = gauge == null ? Double.NaN : gauge.value();
    return Double.isNaN(value) ? 0 : value;
  }

  static Path backupFolder(String ns) {
    return cluster.executor().volumes().claim(ns, "backups");
  }
}
