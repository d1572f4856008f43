package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periodic re-plan notices an edited applied script and a schema changed outside Tidemark. */
class DriftIT extends E2eTestBase {
  static final String DRIFT_IMAGE = "registry.example.com/shop-migrations:drift";

  @TempDir static Path chain;

  @BeforeAll
  static void replanOften() throws IOException {
    try (Stream<Path> files = Files.list(CHAINS.resolve("fixed"))) {
      for (Path f : files.toList()) {
        Files.copy(f, chain.resolve(f.getFileName()));
      }
    }
    cluster.executor().images().addRunner(DRIFT_IMAGE, chain);
    cluster.stopOperator();
    cluster.startOperator(settings().withReplanInterval(Duration.ofSeconds(2)));
  }

  @Test
  void anEditedAppliedScriptIsReportedAsDriftAndBlocksMigrations() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", DRIFT_IMAGE, "latest"));
    awaitReadyAt(ns, "shop", "3");

    Path v1 = chain.resolve("V1__create_accounts.sql");
    String original = Files.readString(v1);
    try {
      Files.writeString(v1, original + "\n-- edited after it was applied\n");
      DatabaseSchema drifted = awaitPhase(ns, "shop", Phase.Failed);
      assertThat(condition(drifted, "Drifted"))
          .get()
          .satisfies(
              c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("ChecksumMismatch");
                assertThat(c.getMessage()).contains("V1__create_accounts.sql");
              });
      assertThat(condition(drifted, "Degraded"))
          .get()
          .extracting("reason")
          .isEqualTo("ValidationFailed");
    } finally {
      Files.writeString(v1, original);
    }

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

    DatabaseSchema r =
        awaitStatus(
            ns,
            "shop",
            x ->
                condition(x, "Drifted")
                        .map(c -> "SchemaChangedOutside".equals(c.getReason()))
                        .orElse(false)
                    && x.getStatus().getPhase() == Phase.Ready
                    && "3".equals(x.getStatus().getCurrentRevision())
                    && x.getStatus().getHistory().size() == 2);
    assertThat(condition(r, "Drifted"))
        .get()
        .extracting("message")
        .asString()
        .contains("revision 2")
        .contains("outside Tidemark");
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
