package io.tidemark.cluster;

import static io.tidemark.cluster.TestCluster.APP_IMAGE;
import static io.tidemark.cluster.TestCluster.TODO_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.local.testsupport.SchemaStatus;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.WorkloadRef;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rollback after a real failed rollout: the application's new Pods crash on the local kubelet, the
 * real Deployment controller reports ProgressDeadlineExceeded, and the operator puts the schema
 * back with either strategy, keeping the rows written before the upgrade.
 */
@Order(2)
class ClusterRollbackIT extends WithOperator {
  static final String APP = "todo-api";
  static final String USERS = "SELECT id || ':' || email FROM users ORDER BY id";

  @ParameterizedTest
  @EnumSource(RollbackSpec.RollbackStrategy.class)
  void aDeploymentWhoseNewPodsCrashRollsTheSchemaBack(RollbackSpec.RollbackStrategy strategy)
      throws Exception {
    String ns = cluster.newNamespaceWithDatabase("rollback-" + strategy.name().toLowerCase());
    admin.resource(deployment(ns, "sleep 3600")).create();
    DatabaseSchema schema = Schemas.schema(ns, "todo", TODO_IMAGE, "10", cluster.postgres.port());
    schema
        .getSpec()
        .setRollback(
            Manifests.rollbackOn(strategy, WorkloadRef.WorkloadKind.Deployment, APP, "10m"));
    admin.resource(schema).create();
    Schemas.awaitReadyAt(admin, ns, "todo", "10");
    sql(ns, "INSERT INTO users (id, email, name) VALUES ('u1', 'ada@example.com', 'Ada')");
    List<String> users = column(ns, USERS);

    Schemas.edit(
        admin,
        ns,
        "todo",
        r -> {
          r.getSpec().setTargetRevision("12");
        });
    Schemas.awaitStatus(admin, ns, "todo", SchemaStatus.readyAndWatchedAt("12"));

    // The new version of the application crashes at start: the controller gives up after 15 s.
    admin
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(APP)
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setCommand(List.of("sh", "-c", "echo the new version cannot start; exit 1"));
              return d;
            });

    DatabaseSchema r = Schemas.awaitPhase(admin, ns, "todo", Phase.Blocked);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("10");
    HistoryEntry last = r.getStatus().getHistory().get(0);
    assertThat(last.getAction())
        .isEqualTo(
            strategy == RollbackSpec.RollbackStrategy.Undo
                ? HistoryAction.UNDONE
                : HistoryAction.RESTORED);
    assertThat(last.getFrom()).isEqualTo("12");
    assertThat(last.getTo()).isEqualTo("10");
    // What the real Deployment controller reported, in the operator's record of why.
    assertThat(last.getReason()).contains("Deployment " + APP, "progress deadline");
    assertThat(Schemas.appliedVersions(cluster, ns))
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    assertThat(column(ns, USERS)).isEqualTo(users);
  }

  static Deployment deployment(String ns, String command) {
    PodSpec pods =
        new PodSpecBuilder()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65532L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addToContainers(
                new ContainerBuilder()
                    .withName("api")
                    .withImage(APP_IMAGE)
                    .withCommand("sh", "-c", command)
                    .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities()
                    .withDrop("ALL")
                    .endCapabilities()
                    .endSecurityContext()
                    .build())
            .build();
    // A Pod must stay ready for 5 s to count as available, as production Deployments ask: a
    // version that crashes right after it starts never becomes available.
    return Manifests.deployment(ns, APP, 15, pods)
        .editSpec()
        .withMinReadySeconds(5)
        .endSpec()
        .build();
  }

  static void sql(String ns, String sql) throws Exception {
    Schemas.execute(cluster, ns, sql);
  }

  static List<String> column(String ns, String sql) throws Exception {
    return Schemas.column(cluster, ns, sql);
  }
}
