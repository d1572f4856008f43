package io.tidemark.cluster;

import static io.tidemark.local.testsupport.SchemaStatus.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.local.testsupport.Drift;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
    Drift.copyChain(TestCluster.CHAINS.resolve("fixed"), chain);
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

    Drift.withV1Edited(
        chain,
        () -> {
          DatabaseSchema drifted = Schemas.awaitPhase(admin, ns, "shop", Phase.Failed);
          Drift.assertChecksumMismatchOfV1(drifted);
          assertThat(drifted.getStatus().getCurrentRevision()).isEqualTo("3");
        });

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

    DatabaseSchema back = Schemas.awaitStatus(admin, ns, "shop", Drift.changeOutsideRepairedAt3());
    Drift.assertChangeOutsideReported(back);
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
}
