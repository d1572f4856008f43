package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.ApprovalPolicy;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.approval OnDestructive end to end: the plan Job rehearses on a schema-only copy (the
 * database user may create databases here); a harmless change runs without a person, a revision
 * that drops a column waits for the approval of its plan, then runs.
 */
class RehearsedApprovalIT extends E2eTestBase {
  static final String DROPPING_IMAGE = "registry.example.com/shop-migrations:drops-total";

  @TempDir static Path chain;

  @BeforeAll
  static void chainThatDropsAColumn() throws Exception {
    try (Stream<Path> files = Files.list(CHAINS.resolve("fixed"))) {
      for (Path f : files.toList()) {
        Files.copy(f, chain.resolve(f.getFileName()));
      }
    }
    Files.writeString(
        chain.resolve("V4__drop_total.sql"), "ALTER TABLE orders DROP COLUMN total;\n");
    Files.writeString(
        chain.resolve("U4__drop_total.sql"),
        "ALTER TABLE orders ADD COLUMN total numeric(10,2) NOT NULL DEFAULT 0;\n");
    cluster.executor().images().addRunner(DROPPING_IMAGE, chain);
  }

  @AfterAll
  static void noCreateDb() throws Exception {
    try (var c = cluster.connect("postgres");
        var s = c.createStatement()) {
      s.execute("ALTER ROLE " + USER + " NOCREATEDB");
    }
  }

  @Test
  void aHarmlessChangeRunsAndADestructiveOneWaitsForItsApproval() throws Exception {
    String ns = newNamespaceWithDatabase();
    try (var c = cluster.connect("postgres");
        var s = c.createStatement()) {
      s.execute("ALTER ROLE " + USER + " CREATEDB");
    }
    DatabaseSchema r = schema(ns, "shop", FIXED_IMAGE, "latest");
    r.getSpec().setApproval(ApprovalPolicy.OnDestructive);
    create(r);

    // Revisions 1 to 3 create tables and add a column with a default: nothing destructive.
    DatabaseSchema at3 = awaitReadyAt(ns, "shop", "3");
    assertThat(at3.getStatus().getLastPlan().getRehearsal().getOutcome()).isEqualTo("done");
    assertThat(at3.getStatus().getApproval()).isNull();

    edit(ns, "shop", x -> x.getSpec().getMigrations().setImage(DROPPING_IMAGE));
    DatabaseSchema waiting = awaitPhase(ns, "shop", Phase.AwaitingApproval);
    assertThat(waiting.getStatus().getApproval().getDestructive())
        .extracting(Object::toString)
        .containsExactly("4: ColumnDropped public.orders.total");
    assertThat(condition(waiting, "Ready").orElseThrow().getMessage())
        .contains("4: ColumnDropped public.orders.total");
    int migrations = jobs(ns, Step.CHANGE).size();
    assertThat(
            column(
                ns,
                "SELECT count(*) FROM information_schema.columns WHERE table_name ="
                    + " 'orders' AND column_name = 'total'"))
        .containsExactly("1");
    // The rehearsal's scratch database is gone.
    assertThat(
            column(
                "postgres",
                "SELECT count(*) FROM pg_database WHERE datname LIKE" + " 'tidemark_rehearsal_%'"))
        .containsExactly("0");

    String digest = waiting.getStatus().getApproval().getDigest();
    edit(ns, "shop", x -> annotate(x, DatabaseSchema.APPROVE_ANNOTATION, digest));
    awaitReadyAt(ns, "shop", "4");
    assertThat(jobs(ns, Step.CHANGE)).hasSize(migrations + 1);
    assertThat(
            column(
                ns,
                "SELECT count(*) FROM information_schema.columns WHERE table_name ="
                    + " 'orders' AND column_name = 'total'"))
        .containsExactly("0");
  }
}
