package io.tidemark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift on a real control plane: the operator installed by the chart with a re-plan interval of 3 s
 * (the chart's {@code operator.replanInterval}), so that its periodic plan Jobs, run by the real
 * Job controller on the local kubelet's Node, notice what changed after the resource was Ready.
 */
@Order(4)
class ClusterDriftIT {
  private static final String DRIFT_IMAGE = "registry.example.com/shop-migrations:drift-cluster";

  @TempDir static Path chain;

  static TestCluster cluster;
  static KubernetesClient admin;
  static Operators.Running operator;

  @BeforeAll
  static void startOperatorThatReplansOften() throws IOException {
    try (Stream<Path> files = Files.list(TestCluster.CHAINS.resolve("fixed"))) {
      for (Path f : files.toList()) {
        Files.copy(f, chain.resolve(f.getFileName()));
      }
    }
    cluster = TestCluster.get();
    admin = cluster.admin;
    cluster.images.addRunner(DRIFT_IMAGE, chain);
    operator = Operators.start(cluster, Map.of("operator.replanInterval", "3s"));
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
    cluster.images.remove(DRIFT_IMAGE);
  }

  @Test
  void anEditedAppliedScriptFailsTheResourceUntilItIsRestoredAndRetried() throws Exception {
    String ns = cluster.newNamespaceWithDatabase("drift-edit");
    admin
        .resource(Schemas.schema(ns, "shop", DRIFT_IMAGE, "latest", cluster.postgres.port()))
        .create();
    Schemas.awaitReadyAt(admin, ns, "shop", "3");

    Path v1 = chain.resolve("V1__create_accounts.sql");
    String original = Files.readString(v1);
    try {
      Files.writeString(v1, original + "\n-- edited after it was applied\n");
      DatabaseSchema drifted = Schemas.awaitPhase(admin, ns, "shop", Phase.Failed);
      assertThat(condition(drifted, "Drifted"))
          .get()
          .satisfies(
              c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("ChecksumMismatch");
                assertThat(c.getMessage()).contains("V1__create_accounts.sql");
              });
      assertThat(drifted.getStatus().getCurrentRevision()).isEqualTo("3");
    } finally {
      Files.writeString(v1, original);
    }

    Schemas.edit(
        admin,
        ns,
        "shop",
        r -> Schemas.annotate(r, DatabaseSchema.RETRY_ANNOTATION, "restored-v1"));
    DatabaseSchema ready =
        Schemas.awaitStatus(
            admin,
            ns,
            "shop",
            r ->
                r.getStatus().getPhase() == Phase.Ready
                    && condition(r, "Drifted")
                        .map(c -> "False".equals(c.getStatus()))
                        .orElse(false));
    assertThat(ready.getStatus().getCurrentRevision()).isEqualTo("3");
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2", "3");
  }

  @Test
  void aSchemaChangedOutsideTidemarkIsReportedAndBroughtBackToTheTarget() throws Exception {
    String ns = cluster.newNamespaceWithDatabase("drift-outside");
    admin
        .resource(Schemas.schema(ns, "shop", DRIFT_IMAGE, "latest", cluster.postgres.port()))
        .create();
    Schemas.awaitReadyAt(admin, ns, "shop", "3");

    // Someone undoes revision 3 by hand.
    Schemas.execute(cluster, ns, "ALTER TABLE orders DROP COLUMN status");
    Schemas.execute(cluster, ns, "DELETE FROM flyway_schema_history WHERE version = '3'");

    DatabaseSchema back =
        Schemas.awaitStatus(
            admin,
            ns,
            "shop",
            r ->
                condition(r, "Drifted")
                        .map(c -> "SchemaChangedOutside".equals(c.getReason()))
                        .orElse(false)
                    && r.getStatus().getPhase() == Phase.Ready
                    && "3".equals(r.getStatus().getCurrentRevision())
                    && r.getStatus().getHistory().size() == 2);
    assertThat(condition(back, "Drifted"))
        .get()
        .extracting(Condition::getMessage)
        .asString()
        .contains("revision 2")
        .contains("outside Tidemark");
    assertThat(
            admin.v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getReason())
                .toList())
        .contains("SchemaDrift");
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2", "3");
    assertThat(
            Schemas.column(
                cluster,
                ns,
                "SELECT column_name FROM information_schema.columns"
                    + " WHERE table_name = 'orders' AND column_name = 'status'"))
        .containsExactly("status");
  }

  private static Optional<Condition> condition(DatabaseSchema r, String type) {
    return r.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
