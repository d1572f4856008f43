package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.local.ImageCatalog;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.RunOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While a migration runs, nothing else starts: a new spec, a retry value or suspend waits for it,
 * and its result is recorded; a migration Job deleted under it is reported, never re-run blindly.
 */
class InFlightIT extends E2eTestBase {
  static final String SLOW_IMAGE = "registry.example.com/shop-migrations:slow";

  @BeforeAll
  static void slowChain() {
    ImageCatalog images = cluster.executor().images();
    images.addRunner(SLOW_IMAGE, CHAINS.resolve("slow"));
  }

  @Test
  void aNewSpecDuringAMigrationWaitsForItAndRecordsItsResult() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", SLOW_IMAGE, "latest"));
    awaitMigrateRunning(ns);

    edit(ns, "shop", x -> downgrade(x, "1"));
    // While the first migration runs, the new generation starts nothing.
    DatabaseSchema during =
        awaitStatus(ns, "shop", x -> x.getStatus().getPhase() == Phase.Migrating);
    assertThat(jobs(ns, Step.PLAN)).isEmpty();
    assertThat(jobs(ns, Step.CHANGE)).hasSize(1);
    assertThat(during.getStatus().getLastRun().getOutcome()).isEqualTo(RunOutcome.RUNNING);

    DatabaseSchema r = awaitReadyAt(ns, "shop", "1");
    // The first migration's result was recorded, then the new spec was followed: undo 2.
    assertThat(r.getStatus().getHistory())
        .extracting(HistoryEntry::getAction)
        .containsExactly(HistoryAction.UNDONE, HistoryAction.APPLIED);
    assertThat(r.getStatus().getHistory().get(1).getTo()).isEqualTo("2");
    // One change Job migrated, the next (the new spec's) undid.
    assertThat(jobs(ns, Step.CHANGE)).hasSize(2);
    assertThat(r.getStatus().getLastRun().getAction()).isEqualTo(RunAction.UNDO);
    assertThat(appliedVersions(ns)).containsExactly("1");
  }

  @Test
  void suspendDuringAMigrationLetsItFinishAndRecordsIt() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", SLOW_IMAGE, "latest"));
    awaitMigrateRunning(ns);

    edit(ns, "shop", x -> x.getSpec().setSuspend(true));
    DatabaseSchema r =
        awaitStatus(
            ns,
            "shop",
            x ->
                x.getStatus().getPhase() == Phase.Suspended
                    && x.getStatus().getLastRun().getOutcome() == RunOutcome.SUCCEEDED);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(r.getStatus().getHistory()).hasSize(1);
    assertThat(appliedVersions(ns)).containsExactly("1", "2");
  }

  @Test
  void aMigrationJobDeletedWhileRunningIsReportedAndNotRunAgain() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", SLOW_IMAGE, "latest"));
    awaitMigrateRunning(ns);

    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(jobs(ns, Step.CHANGE).get(0).getMetadata().getName())
        .delete();

    DatabaseSchema r = awaitPhase(ns, "shop", Phase.Failed);
    assertThat(condition(r, "Degraded"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("JobDeleted");
              assertThat(c.getMessage()).contains("was deleted before it finished");
            });
    awaitReconciledAfter(ns, "shop");
    assertThat(jobs(ns, Step.CHANGE)).isEmpty();
  }

  private static void awaitMigrateRunning(String ns) {
    await()
        .atMost(FLOW_TIMEOUT)
        .until(
            () -> {
              DatabaseSchema r = get(ns, "shop");
              return r != null
                  && r.getStatus() != null
                  && r.getStatus().getLastRun() != null
                  && r.getStatus().getLastRun().getOutcome() == RunOutcome.RUNNING
                  && !jobs(ns, Step.CHANGE).isEmpty();
            });
  }
}
