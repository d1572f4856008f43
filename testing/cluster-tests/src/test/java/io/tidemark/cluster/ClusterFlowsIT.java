package io.tidemark.cluster;

import static io.tidemark.cluster.TestCluster.FAILING_IMAGE;
import static io.tidemark.cluster.TestCluster.FIXED_IMAGE;
import static io.tidemark.cluster.TestCluster.TODO_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.local.LocalKubelet;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The operator's flows on a real control plane, run as the chart's ServiceAccount with the chart's
 * RBAC (ClusterRole mode), in namespaces that enforce the restricted Pod Security profile: the real
 * Job controller creates the Pods, the scheduler binds them to the local kubelet's Node, the
 * garbage collector deletes what a deleted resource owned.
 */
@Order(1)
class ClusterFlowsIT extends WithOperator {
  @Test
  void upThenDownWithBackupsAsRestrictedJobsOnTheNode() throws Exception {
    String ns = cluster.newNamespaceWithDatabase("flow");
    admin.resource(Schemas.schema(ns, "todo", TODO_IMAGE, "3", cluster.postgres.port())).create();

    DatabaseSchema at3 = Schemas.awaitReadyAt(admin, ns, "todo", "3");
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2", "3");
    assertThat(at3.getStatus().getLastBackup().getRevision()).isEqualTo("0");
    assertThat(
            cluster.volumes.claim(ns, "backups").resolve(at3.getStatus().getLastBackup().getFile()))
        .isRegularFile();

    Schemas.edit(
        admin,
        ns,
        "todo",
        r -> {
          r.getSpec().setTargetRevision("latest");
        });
    Schemas.awaitReadyAt(admin, ns, "todo", "12");
    List<String> dumpsAt12 = dumps(ns);

    // A GitOps revert lowers the target: without spec.allowDowngrade only the plan runs.
    Schemas.edit(
        admin,
        ns,
        "todo",
        r -> {
          r.getSpec().setTargetRevision("6");
        });
    DatabaseSchema blocked = Schemas.awaitPhase(admin, ns, "todo", Phase.Blocked);
    assertThat(blocked.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("DowngradeNotAllowed");
              assertThat(c.getMessage()).contains("12, 11, 10, 9, 8, 7").contains("allowDowngrade");
            });
    assertThat(dumps(ns)).as("no backup").isEqualTo(dumpsAt12);
    assertThat(blocked.getStatus().getHistory()).hasSize(2);
    assertThat(Schemas.appliedVersions(cluster, ns)).hasSize(12);

    Schemas.edit(
        admin,
        ns,
        "todo",
        r -> {
          r.getSpec().setAllowDowngrade(true);
        });
    DatabaseSchema at6 = Schemas.awaitReadyAt(admin, ns, "todo", "6");
    HistoryEntry undone = at6.getStatus().getHistory().get(0);
    assertThat(undone.getAction()).isEqualTo(HistoryAction.UNDONE);
    assertThat(undone.getRevisions()).containsExactly("12", "11", "10", "9", "8", "7");
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2", "3", "4", "5", "6");

    // Every Job was admitted under the restricted profile, and its Pods ran on the local Node.
    List<Job> jobs = admin.batch().v1().jobs().inNamespace(ns).list().getItems();
    assertThat(jobs)
        .extracting(j -> j.getMetadata().getLabels().get(JobFactory.LABEL_STEP))
        .containsOnly(Step.CHANGE.label());
    // One Job per change: to 3, to 12, the refused downgrade, the downgrade.
    assertThat(jobs).hasSize(4);
    List<Pod> pods = admin.pods().inNamespace(ns).list().getItems();
    assertThat(pods)
        .hasSize(4)
        .allSatisfy(
            p -> assertThat(p.getSpec().getNodeName()).isEqualTo(LocalKubelet.DEFAULT_NODE));
    // The refused downgrade's Pod ended with the runner's exit 3 and its reason; the others ran.
    assertThat(pods)
        .filteredOn(p -> "Failed".equals(p.getStatus().getPhase()))
        .singleElement()
        .satisfies(
            p ->
                assertThat(
                        p.getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getState()
                            .getTerminated()
                            .getMessage())
                    .contains("\"reason\":\"DowngradeNotAllowed\""));
    assertThat(pods).filteredOn(p -> "Succeeded".equals(p.getStatus().getPhase())).hasSize(3);
    try (var files = Files.list(cluster.volumes.claim(ns, "backups"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".dump")).count()).isEqualTo(3);
    }
  }

  @Test
  void aFailedMigrationHoldsUntilTheSpecIsFixed() throws Exception {
    String ns = cluster.newNamespaceWithDatabase("fail");
    admin
        .resource(Schemas.schema(ns, "shop", FAILING_IMAGE, "latest", cluster.postgres.port()))
        .create();

    DatabaseSchema failed = Schemas.awaitPhase(admin, ns, "shop", Phase.Failed);
    assertThat(failed.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(failed.getStatus().getLastFailure().getReason()).isEqualTo("MigrationFailed");
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2");

    Schemas.edit(
        admin,
        ns,
        "shop",
        r -> {
          r.getSpec().getMigrations().setImage(FIXED_IMAGE);
        });
    Schemas.awaitReadyAt(admin, ns, "shop", "3");
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2", "3");
  }

  @Test
  void aFailedMigrationRunsAgainWhenTheRetryAnnotationChanges() throws Exception {
    String ns = cluster.newNamespaceWithDatabase("retry");
    admin
        .resource(Schemas.schema(ns, "shop", FAILING_IMAGE, "latest", cluster.postgres.port()))
        .create();
    DatabaseSchema failed = Schemas.awaitPhase(admin, ns, "shop", Phase.Failed);
    assertThat(failed.getStatus().getLastFailure().getReason()).isEqualTo("MigrationFailed");
    String failedJob = failed.getStatus().getLastFailure().getJob();

    // What the migration trips on is fixed in the database, not in the image: the spec stays.
    Schemas.execute(
        cluster, ns, "CREATE TYPE order_status_that_does_not_exist AS ENUM ('open', 'paid')");
    Schemas.execute(
        cluster, ns, "ALTER TYPE order_status_that_does_not_exist OWNER TO " + TestCluster.USER);
    Schemas.edit(
        admin,
        ns,
        "shop",
        r -> Schemas.annotate(r, DatabaseSchema.RETRY_ANNOTATION, "type-created"));
    DatabaseSchema ready = Schemas.awaitReadyAt(admin, ns, "shop", "3");
    assertThat(ready.getStatus().getLastRun().getJob()).isNotEqualTo(failedJob);
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2", "3");
  }

  @Test
  void suspendHoldsANewTargetUntilResumed() throws Exception {
    String ns = cluster.newNamespaceWithDatabase("suspend");
    admin.resource(Schemas.schema(ns, "todo", TODO_IMAGE, "2", cluster.postgres.port())).create();
    Schemas.awaitReadyAt(admin, ns, "todo", "2");
    int jobs = admin.batch().v1().jobs().inNamespace(ns).list().getItems().size();

    Schemas.edit(
        admin,
        ns,
        "todo",
        r -> {
          r.getSpec().setSuspend(true);
          r.getSpec().setTargetRevision("4");
        });
    DatabaseSchema suspended = Schemas.awaitPhase(admin, ns, "todo", Phase.Suspended);
    assertThat(suspended.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems())
        .as("no Job while suspended")
        .hasSize(jobs);
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2");

    Schemas.edit(
        admin,
        ns,
        "todo",
        r -> {
          r.getSpec().setSuspend(false);
        });
    Schemas.awaitReadyAt(admin, ns, "todo", "4");
    assertThat(Schemas.appliedVersions(cluster, ns)).containsExactly("1", "2", "3", "4");
  }

  @Test
  void deletingTheResourceLetsTheGarbageCollectorRemoveItsJobsAndPods() {
    String ns = cluster.newNamespaceWithDatabase("gc");
    admin.resource(Schemas.schema(ns, "todo", TODO_IMAGE, "2", cluster.postgres.port())).create();
    Schemas.awaitReadyAt(admin, ns, "todo", "2");
    assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems()).isNotEmpty();

    admin.resources(DatabaseSchema.class).inNamespace(ns).withName("todo").delete();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(admin.pods().inNamespace(ns).list().getItems()).isEmpty();
            });
    // The backups are the user's: the claim and its dumps stay.
    assertThat(admin.persistentVolumeClaims().inNamespace(ns).withName("backups").get())
        .isNotNull();
  }

  /** The dumps in the namespace's backup claim, by name. */
  private static List<String> dumps(String ns) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(cluster.volumes.claim(ns, "backups"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".dump"))
          .sorted()
          .toList();
    }
  }
}
