package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RunOutcome;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failing migration stops cleanly, loops nowhere, and recovers by a new generation or the retry
 * annotation.
 */
class FailureAndRecoveryIT extends E2eTestBase {

  @Test
  void aFailingMigrationIsReportedAndLeavesTheDatabaseAtTheLastGoodRevision() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", FAILING_IMAGE, "latest"));

    DatabaseSchema r = awaitPhase(ns, "shop", Phase.Failed);

    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(appliedVersions(ns)).containsExactly("1", "2");
    assertThat(column(ns, "SELECT count(*) FROM orders")).containsExactly("2");
    assertThat(condition(r, "Degraded"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("MigrationFailed");
              // What failed (the runner's and PostgreSQL's words) and what to do.
              assertThat(c.getMessage())
                  .contains("revision 3")
                  .contains("order_status_that_does_not_exist")
                  .contains("database is at revision 2")
                  .contains("db.tidemark.io/retry");
            });
    assertThat(condition(r, "Ready")).get().extracting("status").isEqualTo("False");
    assertThat(r.getStatus().getLastRun().getOutcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.getStatus().getLastFailure().getStep()).isEqualTo("migrate");
    assertThat(eventReasons(ns, "shop")).contains("MigrationFailed");

    // No Job loop: further events (here, metadata changes) reconcile but start nothing.
    int jobsBefore = allJobs(ns).size();
    for (int i = 0; i < 3; i++) {
      int n = i;
      resource(ns, "shop")
          .edit(
              x -> {
                label(x, "touched", Integer.toString(n));
                return x;
              });
    }
    awaitReconciledAfter(ns, "shop");
    assertThat(allJobs(ns)).hasSize(jobsBefore);
    assertThat(get(ns, "shop").getStatus().getPhase()).isEqualTo(Phase.Failed);

    // A fixed image is a new generation: the flow starts again, with a new backup first.
    edit(ns, "shop", x -> x.getSpec().getMigrations().setImage(FIXED_IMAGE));
    DatabaseSchema fixed = awaitReadyAt(ns, "shop", "3");
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(condition(fixed, "Degraded")).get().extracting("status").isEqualTo("False");
    assertThat(fixed.getStatus().getLastFailure()).isNull();
    assertThat(fixed.getStatus().getLastBackup().getRevision()).isEqualTo("2");
    try (var dumps = java.nio.file.Files.list(backupFolder(ns))) {
      assertThat(dumps.filter(p -> p.toString().endsWith(".dump"))).hasSize(2);
    }
    assertThat(fixed.getStatus().getHistory().get(0).getFrom()).isEqualTo("2");
  }

  @Test
  void theRetryAnnotationRunsAFailedStepAgain() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", RETRYABLE_IMAGE, "2"));
    awaitReadyAt(ns, "shop", "2");
    execute(ns, "INSERT INTO accounts (email) VALUES ('blocked@example.com')");
    edit(ns, "shop", x -> x.getSpec().setTargetRevision("latest"));
    DatabaseSchema failed = awaitPhase(ns, "shop", Phase.Failed);
    assertThat(failed.getStatus().getLastFailure().getMessage())
        .contains("blocked@example.com is present");
    assertThat(failed.getStatus().getCurrentRevision()).isEqualTo("2");

    execute(ns, "DELETE FROM accounts WHERE email = 'blocked@example.com'");
    resource(ns, "shop")
        .edit(
            x -> {
              annotate(x, DatabaseSchema.RETRY_ANNOTATION, "1");
              return x;
            });
    DatabaseSchema r = awaitReadyAt(ns, "shop", "3");
    // Same generation: the annotation alone started the flow again.
    assertThat(r.getMetadata().getGeneration()).isEqualTo(failed.getMetadata().getGeneration());
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(jobs(ns, Step.CHANGE)).hasSize(3);
  }

  @Test
  void anUnreachableDatabaseIsRetriedWithBackoffNotInALoop() throws Exception {
    String ns = newNamespaceWithDatabase();
    DatabaseSchema s = schema(ns, "shop", FIXED_IMAGE, "latest");
    s.getSpec().getDatabase().setPort(closedPort());
    create(s);

    DatabaseSchema r = awaitPhase(ns, "shop", Phase.Failed);
    assertThat(r.getStatus().getLastFailure().getReason()).isEqualTo("ConnectionFailed");
    assertThat(r.getStatus().getLastFailure().getTransientFailure()).isTrue();
    assertThat(condition(r, "Progressing"))
        .get()
        .extracting("message")
        .asString()
        .contains("Retrying with backoff");
    assertThat(jobs(ns, Step.CHANGE)).hasSize(1);
    assertThat(jobs(ns, Step.BACKUP)).isEmpty();

    // The first retry comes after the 10 s backoff, as a new Job (a new attempt, a new name).
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs(ns, Step.CHANGE).size() >= 2);
    // Backoff, not a loop: the retry's Job was created no sooner than the first backoff (10 s)
    // after the first one.
    java.util.List<java.time.Instant> created =
        jobs(ns, Step.CHANGE).stream()
            .map(j -> java.time.Instant.parse(j.getMetadata().getCreationTimestamp()))
            .sorted()
            .toList();
    assertThat(Duration.between(created.get(0), created.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    DatabaseSchema retried =
        awaitStatus(
            ns,
            "shop",
            x ->
                x.getStatus().getTransientFailures() != null
                    && x.getStatus().getTransientFailures() >= 2);
    assertThat(retried.getStatus().getAttempt()).isGreaterThanOrEqualTo(1);
    assertThat(jobs(ns, Step.MIGRATE)).isEmpty();
  }

  @Test
  void noSecretReachesStatusOrEvents() throws Exception {
    String ns = newNamespaceWithDatabase();
    DatabaseSchema s = schema(ns, "shop", FIXED_IMAGE, "latest");
    create(s);
    awaitReadyAt(ns, "shop", "3");
    // And a failure that involves the credentials: a wrong password for the same user.
    client
        .secrets()
        .inNamespace(ns)
        .withName("db-creds")
        .edit(
            sec -> {
              sec.setData(null);
              sec.setStringData(Map.of("username", USER, "password", "wrong-" + PASSWORD));
              return sec;
            });
    edit(ns, "shop", x -> downgrade(x, "2"));
    DatabaseSchema failed = awaitPhase(ns, "shop", Phase.Failed);
    assertThat(failed.getStatus().getLastFailure().getReason()).isEqualTo("AuthenticationFailed");

    String status = Serialization.asJson(failed.getStatus());
    String events = Serialization.asJson(events(ns, "shop"));
    assertThat(status).doesNotContain(PASSWORD);
    assertThat(events).doesNotContain(PASSWORD);
    assertThat(cluster.registry().scrape()).doesNotContain(PASSWORD);
  }

  private static int closedPort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
