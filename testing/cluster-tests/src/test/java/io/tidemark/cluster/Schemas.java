package io.tidemark.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.model.BackupSpec;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.MigrationsSpec;
import io.tidemark.operator.model.Phase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace(ns);
    DatabaseSchemaSpec spec = new DatabaseSchemaSpec();
    DatabaseRef db = new DatabaseRef();
    db.setHost("localhost");
    db.setPort(port);
    db.setName(TestCluster.database(ns));
    db.setCredentialsSecret("db-creds");
    db.setSslMode(DatabaseRef.SslMode.disable);
    spec.setDatabase(db);
    MigrationsSpec migrations = new MigrationsSpec();
    migrations.setImage(image);
    spec.setMigrations(migrations);
    spec.setTargetRevision(target);
    BackupSpec backup = new BackupSpec();
    backup.setEnabled(true);
    backup.setVolumeClaim("backups");
    backup.setKeep(5);
    spec.setBackup(backup);
    r.setSpec(spec);
    return r;
  }

  static DatabaseSchema awaitStatus(
      KubernetesClient client, String ns, String name, Predicate<DatabaseSchema> condition) {
    await()
        .atMost(FLOW_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              DatabaseSchema r =
                  client.resources(DatabaseSchema.class).inNamespace(ns).withName(name).get();
              return r != null
                  && r.getStatus() != null
                  && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration())
                  && condition.test(r);
            });
    return client.resources(DatabaseSchema.class).inNamespace(ns).withName(name).get();
  }

  static DatabaseSchema awaitReadyAt(
      KubernetesClient client, String ns, String name, String revision) {
    return awaitStatus(
        client,
        ns,
        name,
        r ->
            r.getStatus().getPhase() == Phase.Ready
                && revision.equals(r.getStatus().getCurrentRevision()));
  }

  static DatabaseSchema awaitPhase(KubernetesClient client, String ns, String name, Phase phase) {
    return awaitStatus(client, ns, name, r -> r.getStatus().getPhase() == phase);
  }

  static List<String> appliedVersions(TestCluster cluster, String ns) throws SQLException {
    return column(
        cluster,
        ns,
        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
            + " ORDER BY installed_rank");
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
    try (Connection c = cluster.postgres.connect(TestCluster.database(ns));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The first column of a query on the namespace's database. */
  static List<String> column(TestCluster cluster, String ns, String sql) throws SQLException {
    try (Connection c = cluster.postgres.connect(TestCluster.database(ns));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }
}
