package io.tidemark.cluster;

import static io.tidemark.cluster.TestCluster.SLOW_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.Step;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election on a real Lease: the leader is stopped while a migration runs,
 * the other takes over and finishes the change, and the audit log shows every Job created exactly
 * once.
 */
@Order(3)
class LeaderElectionIT {

  @Test
  void theStandbyTakesOverAMigrationInFlightWithoutCreatingAnyJobTwice() throws Exception {
    TestCluster cluster = TestCluster.get();
    KubernetesClient admin = cluster.admin;
    Map<String, String> values = Map.of("replicaCount", "2");
    Operators.Running a = Operators.start(cluster, values);
    Operators.Running b = Operators.start(cluster, values);
    try {
      // A Lease left by an earlier test's replica expires first; then one of these two holds it.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  a.identity().equals(holder(admin, a.leaseName()))
                      || b.identity().equals(holder(admin, a.leaseName())));
      Operators.Running leader = a.identity().equals(holder(admin, a.leaseName())) ? a : b;
      Operators.Running standby = leader == a ? b : a;
      String ns = cluster.newNamespaceWithDatabase("leader");
      admin
          .resource(Schemas.schema(ns, "shop", SLOW_IMAGE, "latest", cluster.postgres.port()))
          .create();
      // The slow revision sleeps in the database: the change Job is running when the leader goes.
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  admin
                      .pods()
                      .inNamespace(ns)
                      .withLabel(JobFactory.LABEL_STEP, Step.CHANGE.label())
                      .list()
                      .getItems()
                      .stream()
                      .anyMatch(
                          p ->
                              p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
      leader.close();

      Schemas.awaitReadyAt(admin, ns, "shop", "2");
      assertThat(holder(admin, a.leaseName())).isEqualTo(standby.identity());
      assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2");

      // Every Job of the namespace was created once (201), by the operator's ServiceAccount.
      List<JsonNode> creates =
          cluster.controlPlane.audit().stream()
              .filter(e -> "create".equals(e.at("/verb").asText()))
              .filter(e -> "jobs".equals(e.at("/objectRef/resource").asText()))
              .filter(e -> ns.equals(e.at("/objectRef/namespace").asText()))
              .filter(e -> "ResponseComplete".equals(e.at("/stage").asText()))
              .toList();
      Map<String, Long> createdByName =
          creates.stream()
              .filter(e -> e.at("/responseStatus/code").asInt() == 201)
              .collect(
                  Collectors.groupingBy(
                      e -> e.at("/objectRef/name").asText(), Collectors.counting()));
      assertThat(createdByName)
          .isNotEmpty()
          .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1L));
      assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems())
          .hasSize(createdByName.size());
    } finally {
      a.close();
      b.close();
    }
  }

  static String holder(KubernetesClient admin, String leaseName) {
    Lease lease = admin.leases().inNamespace(Operators.RELEASE_NAMESPACE).withName(leaseName).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
