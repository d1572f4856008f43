package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.local.testsupport.Drift;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periodic re-plan notices an edited applied script and a schema changed outside Tidemark. */
class DriftIT extends E2eTestBase {
  static final String DRIFT_IMAGE = "registry.example.com/shop-migrations:drift";

  @TempDir static Path chain;

  @BeforeAll
  static void replanOften() throws IOException {
    Drift.copyChain(CHAINS.resolve("fixed"), chain);
    cluster.executor().images().addRunner(DRIFT_IMAGE, chain);
    cluster.stopOperator();
    cluster.startOperator(settings().withReplanInterval(Duration.ofSeconds(2)));
  }

  @Test
  void anEditedAppliedScriptIsReportedAsDriftAndBlocksMigrations() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", DRIFT_IMAGE, "latest"));
    awaitReadyAt(ns, "shop", "3");

    Drift.withV1Edited(
        chain,
        () -> {
          DatabaseSchema drifted = awaitPhase(ns, "shop", Phase.Failed);
          Drift.assertChecksumMismatchOfV1(drifted);
          assertThat(condition(drifted, "Degraded"))
              .get()
              .extracting("reason")
              .isEqualTo("ValidationFailed");
        });

    // The script is back as it was; the retry annotation says so.
    resource(ns, "shop")
        .edit(
            x -> {
              annotate(x, DatabaseSchema.RETRY_ANNOTATION, "restored-v1");
              return x;
            });
    DatabaseSchema ready = awaitReadyAt(ns, "shop", "3");
    assertThat(condition(ready, "Drifted")).get().extracting("status").isEqualTo("False");
  }

  @Test
  void aPeriodicRePlanOfAReadySchemaDoesNotLeaveReady() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", DRIFT_IMAGE, "latest"));
    DatabaseSchema ready = awaitReadyAt(ns, "shop", "3");
    String plan = ready.getStatus().getLastPlan().getJob();
    String readySince = condition(ready, "Ready").get().getLastTransitionTime();

    // Two periodic re-plans later (every 2 s here)...
    DatabaseSchema later =
        awaitStatus(ns, "shop", x -> !plan.equals(x.getStatus().getLastPlan().getJob()));
    String secondPlan = later.getStatus().getLastPlan().getJob();
    later = awaitStatus(ns, "shop", x -> !secondPlan.equals(x.getStatus().getLastPlan().getJob()));
    // ...Ready never flipped: its transition time is the first one.
    assertThat(condition(later, "Ready"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getLastTransitionTime()).isEqualTo(readySince);
            });
    // ...and wrote no Event: the change Job's plan was followed by its migration (whose Event says
    // more), and a re-plan that finds nothing new is quiet.
    assertThat(eventReasons(ns, "shop")).doesNotContain("Planned", "SchemaDrift");
  }

  @Test
  void aSchemaChangedOutsideTidemarkIsReportedAndBroughtBackToTheTarget() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", DRIFT_IMAGE, "latest"));
    awaitReadyAt(ns, "shop", "3");

    // Someone undoes revision 3 by hand.
    execute(ns, "ALTER TABLE orders DROP COLUMN status");
    execute(ns, "DELETE FROM flyway_schema_history WHERE version = '3'");

    DatabaseSchema r = awaitStatus(ns, "shop", Drift.changeOutsideRepairedAt3());
    Drift.assertChangeOutsideReported(r);
    assertThat(eventReasons(ns, "shop")).contains("SchemaDrift");
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(
            column(
                ns,
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' "
                    + "AND column_name = 'status'"))
        .containsExactly("status");
  }
}
