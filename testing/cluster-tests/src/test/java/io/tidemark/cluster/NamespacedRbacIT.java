package io.tidemark.cluster;

import static io.tidemark.cluster.TestCluster.TODO_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.model.DatabaseSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The chart's per-namespace mode ({@code watchNamespaces}) on a real API server: Roles in the
 * watched namespaces and nothing cluster-wide for the operator, which migrates there, was never
 * refused, never asked for anything outside its namespaces, and leaves other namespaces alone.
 */
@Order(50)
class NamespacedRbacIT {
  static final String RELEASE_NAMESPACE = "tidemark-teams";

  @Test
  void withWatchNamespacesTheOperatorWorksThereOnRolesAloneAndNowhereElse() throws Exception {
    TestCluster cluster = TestCluster.get();
    KubernetesClient admin = cluster.admin;
    String watched = cluster.newNamespaceWithDatabase("team-a");
    String other = cluster.newNamespaceWithDatabase("team-b");
    Map<String, String> values = Map.of("watchNamespaces[0]", watched);

    Chart chart = Chart.render(admin, RELEASE_NAMESPACE, values);
    assertThat(chart.ofKind("ClusterRoleBinding"))
        .as("nothing cluster-wide is bound to the operator")
        .isEmpty();
    assertThat(chart.ofKind("Role"))
        .extracting(r -> r.getMetadata().getNamespace())
        .contains(watched);

    // The other namespace's resource exists first: had the operator watched it, it would be at work
    // on it
    // before the watched one is Ready.
    admin
        .resource(Schemas.schema(other, "todo", TODO_IMAGE, "2", cluster.postgres.port()))
        .create();
    admin
        .resource(Schemas.schema(watched, "todo", TODO_IMAGE, "2", cluster.postgres.port()))
        .create();
    try (Operators.Running operator = Operators.start(cluster, RELEASE_NAMESPACE, values)) {
      Schemas.awaitReadyAt(admin, watched, "todo", "2");
      assertThat(Schemas.appliedVersions(cluster, watched)).containsExactly("1", "2");
    }
    DatabaseSchema untouched =
        admin.resources(DatabaseSchema.class).inNamespace(other).withName("todo").get();
    assertThat(untouched.getStatus()).as("a namespace that is not watched is left alone").isNull();
    assertThat(admin.batch().v1().jobs().inNamespace(other).list().getItems()).isEmpty();

    String user = ControlPlane.userOf(RELEASE_NAMESPACE, chart.serviceAccount());
    List<JsonNode> requests =
        RbacAuditIT.requestsOf(cluster, user).stream().filter(e -> e.has("objectRef")).toList();
    assertThat(requests).isNotEmpty();
    assertThat(RbacAuditIT.refused(requests)).as("requests refused by RBAC").isEmpty();
    Set<String> namespaces =
        requests.stream()
            .filter(e -> !e.at("/objectRef/apiGroup").asText("").equals("authorization.k8s.io"))
            .map(e -> e.at("/objectRef/namespace").asText("<cluster>"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(namespaces)
        .as("namespaces the operator's requests went to")
        .isSubsetOf(Set.of(watched, RELEASE_NAMESPACE));

    assertThat(chart.manifests.stream().filter(m -> m.getKind().startsWith("ClusterRole")).toList())
        .as(
            "cluster-wide RBAC in per-namespace mode: only the users' aggregated view and edit roles")
        .allSatisfy(
            m ->
                assertThat(m.getMetadata().getLabels().keySet())
                    .anyMatch(k -> k.startsWith("rbac.authorization.k8s.io/aggregate-to-")));
  }
}
