package io.tidemark.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.local.testsupport.SchemaStatus;
import io.tidemark.local.testsupport.Sql;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** DatabaseSchema manifests for the cluster tests, and waiting for their status. */
final class Schemas {
  static final Duration FLOW_TIMEOUT = Duration.ofSeconds(180);

  private Schemas() {}

  /** On the namespace's database (the embedded PostgreSQL on this host), backups on. */
  static DatabaseSchema schema(String ns, String name, String image, String target, int port) {
    return Manifests.schema(ns, name, image, target, port, TestCluster.database(ns));
  }

  static DatabaseSchema awaitStatus(
      KubernetesClient client, String ns, String name, Predicate<DatabaseSchema> condition) {
    return SchemaStatus.awaitStatus(
        client.resources(DatabaseSchema.class).inNamespace(ns).withName(name),
        FLOW_TIMEOUT,
        Duration.ofMillis(250),
        condition);
  }

  static DatabaseSchema awaitReadyAt(
      KubernetesClient client, String ns, String name, String revision) {
    return awaitStatus(client, ns, name, SchemaStatus.readyAt(revision));
  }

  static DatabaseSchema awaitPhase(KubernetesClient client, String ns, String name, Phase phase) {
    return awaitStatus(client, ns, name, r -> r.getStatus().getPhase() == phase);
  }

  static List<String> appliedVersions(TestCluster cluster, String ns) throws SQLException {
    return column(cluster, ns, Sql.APPLIED_VERSIONS);
  }

  /** Edits the resource as a person would (kubectl edit): reads it, changes it, writes it. */
  static DatabaseSchema edit(
      KubernetesClient client, String ns, String name, Consumer<DatabaseSchema> change) {
    return client
        .resources(DatabaseSchema.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            r -> {
              change.accept(r);
              return r;
            });
  }

  /** Sets an annotation on {@code r} (in an {@link #edit}). */
  static void annotate(DatabaseSchema r, String key, String value) {
    Map<String, String> annotations = new HashMap<>();
    if (r.getMetadata().getAnnotations() != null) {
      annotations.putAll(r.getMetadata().getAnnotations());
    }
    annotations.put(key, value);
    r.getMetadata().setAnnotations(annotations);
  }

  /** Runs SQL on the namespace's database as the superuser. */
  static void execute(TestCluster cluster, String ns, String sql) throws SQLException {
    Sql.execute(cluster.postgres.connect(TestCluster.database(ns)), sql);
  }

  /** The first column of a query on the namespace's database. */
  static List<String> column(TestCluster cluster, String ns, String sql) throws SQLException {
    return Sql.column(cluster.postgres.connect(TestCluster.database(ns)), sql);
  }
}
