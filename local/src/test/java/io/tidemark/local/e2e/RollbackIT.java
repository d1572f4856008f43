package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.local.testsupport.SchemaStatus;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.WatchState;
import io.tidemark.operator.model.WorkloadRef;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After an upgrade, a failed rollout of the application that needed it puts the schema back (Undo
 * or Restore), records why and holds; a good rollout, or a failure after the window, does nothing.
 * The application is a Deployment whose status the test writes as its controller would.
 */
class RollbackIT extends E2eTestBase {
  static final String APP = "todo-api";
  static final String USERS = "SELECT id || ':' || email FROM users ORDER BY id";
  static final String TASKS = "SELECT id || ':' || title || ':' || user_id FROM tasks ORDER BY id";

  @Test
  void undoPutsTheSchemaBackAfterAProgressDeadlineAndKeepsTheRows() throws Exception {
    String ns = upgradedTo12(RollbackSpec.RollbackStrategy.Undo, "10m");
    List<String> users = column(ns, USERS);
    List<String> tasks = column(ns, TASKS);
    double rollbacksBefore = rollbacks("Undo");

    rollOutNewVersionThatFails(ns);

    DatabaseSchema r = awaitPhase(ns, "todo", Phase.Blocked);
    assertRolledBack(ns, r, HistoryAction.UNDONE, users, tasks);
    assertThat(r.getStatus().getHistory().get(0).getRevisions()).containsExactly("12", "11");
    // Backed up first, like any change: the dump of revision 12 before the undo.
    assertThat(r.getStatus().getLastBackup().getRevision()).isEqualTo("12");
    assertThat(rollbacks("Undo") - rollbacksBefore)
        .as("Undo rollbacks during the test")
        .isEqualTo(1.0);

    assertNoLoopAndReleaseOnRetry(ns);
  }

  @Test
  void restorePutsBackTheDumpTakenBeforeTheUpgradeAndDropsWhatTheUpgradeCreated() throws Exception {
    String ns = upgradedTo12(RollbackSpec.RollbackStrategy.Restore, "10m");
    List<String> users = column(ns, USERS);
    List<String> tasks = column(ns, TASKS);
    // A table the application created on the new revision: Restore loses it, as documented.
    execute(ns, "CREATE TABLE scratch_after_upgrade (id int)");
    execute(ns, "ALTER TABLE scratch_after_upgrade OWNER TO " + USER);
    double rollbacksBefore = rollbacks("Restore");

    rollOutNewVersionThatFails(ns);

    DatabaseSchema r = awaitPhase(ns, "todo", Phase.Blocked);
    assertRolledBack(ns, r, HistoryAction.RESTORED, users, tasks);
    assertThat(tables(ns)).doesNotContain("scratch_after_upgrade");
    assertThat(jobs(ns, Step.RESTORE)).hasSize(1);
    assertThat(jobs(ns, Step.UNDO)).isEmpty();
    assertThat(rollbacks("Restore") - rollbacksBefore)
        .as("Restore rollbacks during the test")
        .isEqualTo(1.0);
  }

  /**
   * spec.schemas [public, audit]: the Restore rollback restores both schemas from the dump taken
   * before the upgrade, in one transaction: rows the application deleted in audit are back, a table
   * it made there is gone, and public is at revision 10 again.
   */
  @Test
  void restorePutsBackEveryManagedSchemaTogether() throws Exception {
    String ns = newNamespaceWithDatabase();
    createHealthyDeployment(ns);
    DatabaseSchema schema =
        withRollback(
            schema(ns, "todo", TODO_IMAGE, "10"), RollbackSpec.RollbackStrategy.Restore, "10m");
    schema.getSpec().setSchemas(List.of("public", "audit"));
    create(schema);
    awaitReadyAt(ns, "todo", "10");
    // Flyway created the second schema; the application keeps its audit trail there.
    assertThat(column(ns, "SELECT nspname FROM pg_namespace WHERE nspname = 'audit'"))
        .containsExactly("audit");
    execute(ns, "CREATE TABLE audit.log (id int PRIMARY KEY, what text NOT NULL)");
    execute(ns, "ALTER TABLE audit.log OWNER TO " + USER);
    execute(ns, "INSERT INTO audit.log VALUES (1, 'signed up'), (2, 'logged in')");

    edit(ns, "todo", x -> x.getSpec().setTargetRevision("12"));
    awaitReadyAndWatchedAt12(ns);
    execute(ns, "DELETE FROM audit.log WHERE id = 2");
    execute(ns, "CREATE TABLE audit.scratch_after_upgrade (id int)");
    execute(ns, "ALTER TABLE audit.scratch_after_upgrade OWNER TO " + USER);

    rollOutNewVersionThatFails(ns);

    DatabaseSchema r = awaitPhase(ns, "todo", Phase.Blocked);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("10");
    assertThat(r.getStatus().getHistory().get(0).getAction()).isEqualTo(HistoryAction.RESTORED);
    assertThat(appliedVersions(ns)).hasSize(10).endsWith("10");
    assertThat(column(ns, "SELECT id || ' ' || what FROM audit.log ORDER BY id"))
        .containsExactly("1 signed up", "2 logged in");
    assertThat(
            column(
                ns,
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'audit'"
                    + " AND tablename = 'scratch_after_upgrade'"))
        .containsExactly("0");
    assertThat(
            jobs(ns, Step.RESTORE)
                .get(0)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("RESTORE_SCHEMAS");
              assertThat(e.getValue()).isEqualTo("public audit");
            });
  }

  @Test
  void aCompletedRolloutVerifiesTheUpgradeAndTriggersNothing() throws Exception {
    String ns = upgradedTo12(RollbackSpec.RollbackStrategy.Undo, "10m");
    Deployment d = rollOutNewVersion(ns);
    setStatus(ns, d, true, false);

    DatabaseSchema r =
        awaitStatus(
            ns, "todo", x -> x.getStatus().getRolloutWatch().getState() == WatchState.VERIFIED);
    assertThat(r.getStatus().getPhase()).isEqualTo(Phase.Ready);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("12");
    assertThat(eventReasons(ns, "todo")).contains("RolloutVerified").doesNotContain("RolledBack");
    assertThat(jobs(ns, Step.UNDO)).isEmpty();
  }

  @Test
  void aFailureAfterTheWindowTriggersNothing() throws Exception {
    String ns = upgradedTo12(RollbackSpec.RollbackStrategy.Undo, "3s");
    awaitStatus(ns, "todo", x -> x.getStatus().getRolloutWatch().getState() == WatchState.EXPIRED);

    rollOutNewVersionThatFails(ns);
    // The Deployment's failure reconciles the resource (its informer): wait for that, then check
    // nothing ran.
    awaitReconciledAfter(ns, "todo");
    DatabaseSchema r = get(ns, "todo");
    assertThat(r.getStatus().getPhase()).isEqualTo(Phase.Ready);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("12");
    assertThat(jobs(ns, Step.UNDO)).isEmpty();
    assertThat(appliedVersions(ns)).hasSize(12);
  }

  @Test
  void aFailedRollbackIsReportedAndLeavesTheDatabaseConsistent() throws Exception {
    String ns = upgradedTo12(RollbackSpec.RollbackStrategy.Restore, "10m");
    List<String> users = column(ns, USERS);
    // The dump the restore needs is gone (moved away).
    DatabaseSchema before = get(ns, "todo");
    java.nio.file.Path dump =
        backupFolder(ns).resolve(before.getStatus().getRolloutWatch().getBackupFile());
    java.nio.file.Path aside = java.nio.file.Files.createTempFile("tidemark-dump", ".dump");
    Files.move(dump, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    rollOutNewVersionThatFails(ns);

    DatabaseSchema r = awaitPhase(ns, "todo", Phase.Failed);
    assertThat(condition(r, "Degraded"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("RollbackFailed");
              assertThat(c.getMessage()).contains("not in the volume claim").contains(APP);
            });
    assertThat(r.getStatus().getRolloutWatch().getState()).isEqualTo(WatchState.ROLLBACK_FAILED);
    // Nothing was half done: still the whole upgrade, every row.
    assertThat(appliedVersions(ns)).hasSize(12);
    assertThat(tables(ns)).contains("tags", "task_tags", "recurring_tasks");
    assertThat(column(ns, USERS)).isEqualTo(users);
    int jobsNow = allJobs(ns).size();
    awaitReconciledAfter(ns, "todo");
    assertThat(allJobs(ns)).hasSize(jobsNow);

    // The dump is back; the retry annotation runs the rollback again (not a migration).
    Files.move(aside, dump);
    resource(ns, "todo")
        .edit(
            x -> {
              annotate(x, DatabaseSchema.RETRY_ANNOTATION, "dump-restored");
              return x;
            });
    DatabaseSchema rolledBack = awaitPhase(ns, "todo", Phase.Blocked);
    assertThat(rolledBack.getStatus().getCurrentRevision()).isEqualTo("10");
    assertThat(rolledBack.getStatus().getRolloutWatch().getState())
        .isEqualTo(WatchState.ROLLED_BACK);
    assertThat(tables(ns)).doesNotContain("tags", "task_tags", "recurring_tasks");
    assertThat(column(ns, USERS)).isEqualTo(users);
    assertThat(jobs(ns, Step.RESTORE)).hasSize(2);
  }

  @Test
  void aDowngradeByHandInsideTheWindowEndsTheWatch() throws Exception {
    String ns = upgradedTo12(RollbackSpec.RollbackStrategy.Restore, "10m");
    edit(ns, "todo", x -> downgrade(x, "11"));
    DatabaseSchema at11 = awaitReadyAt(ns, "todo", "11");
    assertThat(at11.getStatus().getRolloutWatch().getState()).isEqualTo(WatchState.SUPERSEDED);

    rollOutNewVersionThatFails(ns);
    awaitReconciledAfter(ns, "todo");
    DatabaseSchema r = get(ns, "todo");
    assertThat(r.getStatus().getPhase()).isEqualTo(Phase.Ready);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("11");
    assertThat(jobs(ns, Step.RESTORE)).isEmpty();
    assertThat(appliedVersions(ns)).hasSize(11);
  }

  @Test
  void anUpgradeWithoutAWayBackIsRefusedBeforeAnythingRuns() throws Exception {
    String ns = newNamespaceWithDatabase();
    createHealthyDeployment(ns);
    DatabaseSchema s =
        withRollback(
            schema(ns, "todo", NO_UNDO_IMAGE, "2"), RollbackSpec.RollbackStrategy.Undo, "10m");
    create(s);
    DatabaseSchema at2 = awaitReadyAt(ns, "todo", "2");

    edit(ns, "todo", x -> x.getSpec().setTargetRevision("latest"));
    DatabaseSchema r = awaitPhase(ns, "todo", Phase.Failed);
    assertThat(condition(r, "Degraded"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("NoWayBack");
              assertThat(c.getMessage()).contains("revision(s) 3").contains("undo script");
            });
    assertThat(appliedVersions(ns)).containsExactly("1", "2");
    // The refused change Job took no backup and changed nothing.
    assertThat(jobs(ns, Step.CHANGE)).hasSize(2);
    assertThat(r.getStatus().getLastBackup()).isEqualTo(at2.getStatus().getLastBackup());
    assertThat(r.getStatus().getHistory()).hasSize(1);
  }

  // ---- the story every test shares -------------------------------------------------------

  /**
   * A namespace whose database is at 10 with rows, then upgraded to 12 with the app's Deployment
   * watched.
   */
  private static String upgradedTo12(RollbackSpec.RollbackStrategy strategy, String window)
      throws Exception {
    String ns = newNamespaceWithDatabase();
    createHealthyDeployment(ns);
    create(withRollback(schema(ns, "todo", TODO_IMAGE, "10"), strategy, window));
    awaitReadyAt(ns, "todo", "10");
    execute(
        ns,
        "INSERT INTO users (id, email, name) VALUES ('u1', 'ada@example.com', 'Ada'), "
            + "('u2', 'grace@example.com', 'Grace')");
    execute(
        ns,
        "INSERT INTO tasks (id, user_id, title) VALUES ('t1', 'u1', 'write the report'), "
            + "('t2', 'u2', 'review the report')");
    edit(ns, "todo", x -> x.getSpec().setTargetRevision("12"));
    awaitReadyAndWatchedAt12(ns);
    return ns;
  }

  /** Ready at 12, the rollout after the change watched. */
  private static void awaitReadyAndWatchedAt12(String ns) {
    awaitStatus(ns, "todo", SchemaStatus.readyAndWatchedAt("12"));
  }

  private static void assertRolledBack(
      String ns, DatabaseSchema r, HistoryAction action, List<String> users, List<String> tasks)
      throws Exception {
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("10");
    assertThat(condition(r, "Degraded"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("RolledBack");
              assertThat(c.getMessage())
                  .contains("Deployment " + APP)
                  .contains("progress deadline")
                  .contains("revision 12");
            });
    assertThat(r.getStatus().getRolloutWatch().getState()).isEqualTo(WatchState.ROLLED_BACK);
    HistoryEntry last = r.getStatus().getHistory().get(0);
    assertThat(last.getAction()).isEqualTo(action);
    assertThat(last.getFrom()).isEqualTo("12");
    assertThat(last.getTo()).isEqualTo("10");
    assertThat(last.getReason()).contains(APP);
    assertThat(appliedVersions(ns))
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    assertThat(tables(ns)).doesNotContain("tags", "task_tags", "recurring_tasks");
    assertThat(column(ns, USERS)).isEqualTo(users);
    assertThat(column(ns, TASKS)).isEqualTo(tasks);
    assertThat(eventReasons(ns, "todo")).contains("RolloutFailed", "RolledBack");
  }

  private static void assertNoLoopAndReleaseOnRetry(String ns) throws Exception {
    int jobsNow = allJobs(ns).size();
    awaitReconciledAfter(ns, "todo");
    assertThat(allJobs(ns)).hasSize(jobsNow);
    assertThat(get(ns, "todo").getStatus().getPhase()).isEqualTo(Phase.Blocked);

    resource(ns, "todo")
        .edit(
            x -> {
              annotate(x, DatabaseSchema.RETRY_ANNOTATION, "app-fixed");
              return x;
            });
    awaitReadyAt(ns, "todo", "12");
  }

  private static DatabaseSchema withRollback(
      DatabaseSchema s, RollbackSpec.RollbackStrategy strategy, String window) {
    s.getSpec()
        .setRollback(
            Manifests.rollbackOn(strategy, WorkloadRef.WorkloadKind.Deployment, APP, window));
    return s;
  }

  private static void createHealthyDeployment(String ns) {
    PodSpec pods =
        new PodSpecBuilder()
            .addNewContainer()
            .withName("api")
            .withImage("registry.example.com/todo-api:1.6.0")
            .endContainer()
            .build();
    Deployment d = client.resource(Manifests.deployment(ns, APP, 60, pods).build()).create();
    setStatus(ns, d, true, false);
  }

  private static Deployment rollOutNewVersion(String ns) {
    long before =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName(APP)
            .get()
            .getMetadata()
            .getGeneration();
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName(APP)
            .edit(
                x -> {
                  x.getSpec()
                      .getTemplate()
                      .getSpec()
                      .getContainers()
                      .get(0)
                      .setImage("registry.example.com/todo-api:1.7.0");
                  return x;
                });
    // The API server counts spec changes in metadata.generation; the controller reports on that
    // generation.
    assertThat(d.getMetadata().getGeneration()).isGreaterThan(before);
    return d;
  }

  private static void rollOutNewVersionThatFails(String ns) {
    Deployment d = rollOutNewVersion(ns);
    setStatus(ns, d, false, true);
  }

  /**
   * Writes the Deployment's status as the Deployment controller would for its current generation.
   */
  private static void setStatus(
      String ns, Deployment d, boolean rolledOut, boolean deadlineExceeded) {
    Deployment current =
        client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).get();
    current.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(current.getMetadata().getGeneration())
            .withReplicas(rolledOut ? 1 : 2)
            .withUpdatedReplicas(1)
            .withReadyReplicas(1)
            .withAvailableReplicas(1)
            .withUnavailableReplicas(rolledOut ? 0 : 1)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus("True")
                    .withReason("MinimumReplicasAvailable")
                    .withMessage("Deployment has minimum availability.")
                    .build(),
                deadlineExceeded
                    ? new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet \"" + APP + "-7d9f\" has timed out progressing.")
                        .build()
                    : new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("True")
                        .withReason(rolledOut ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
                        .build())
            .build());
    client.apps().deployments().inNamespace(ns).resource(current).updateStatus();
  }

  /**
   * The fleet's rollbacks of a strategy (not labelled per resource; the tests of a class run one
   * after the other).
   */
  private static double rollbacks(String strategy) {
    return cluster
        .registry()
        .find("tidemark_rollbacks")
        .tags("strategy", strategy)
        .counter()
        .count();
  }
}
