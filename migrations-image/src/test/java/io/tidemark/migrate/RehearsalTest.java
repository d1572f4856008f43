package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * plan --rehearse on real PostgreSQL: each destructive kind is found in the revision that does it,
 * harmless revisions are not flagged, a failing revision fails the plan, and the real database is
 * never touched (catalog and rows compared); no scratch database is left behind.
 */
class RehearsalTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, String> CHAIN_FILES = new LinkedHashMap<>();

  static {
    CHAIN_FILES.put(
        "V1__start.sql",
        """
        CREATE TABLE accounts (id bigserial PRIMARY KEY, email text, name text);
        CREATE TABLE orders (id bigserial PRIMARY KEY, account_id bigint, total numeric(10,2),
          note text, ref text CONSTRAINT orders_ref_check CHECK (ref <> ''));
        CREATE INDEX orders_account_idx ON orders (account_id);
        CREATE TABLE audit (id int);
        CREATE SCHEMA legacy;
        CREATE TABLE legacy.old_orders (id int);
        INSERT INTO accounts (email, name) VALUES ('ada@example.com', 'Ada');
        INSERT INTO orders (account_id, total, note, ref) VALUES (1, 10.50, 'first', 'r1');
        """);
    CHAIN_FILES.put(
        "V2__harmless.sql",
        """
        ALTER TABLE accounts ADD COLUMN nickname text;
        ALTER TABLE accounts ADD COLUMN active boolean NOT NULL DEFAULT true;
        CREATE TABLE tags (id bigserial PRIMARY KEY, label text NOT NULL UNIQUE,
          weight int CHECK (weight > 0));
        CREATE INDEX tags_weight_idx ON tags (weight);
        """);
    CHAIN_FILES.put(
        "V3__concurrent_index.sql",
        "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);\n");
    CHAIN_FILES.put(
        "V4__destructive.sql",
        """
        ALTER TABLE orders DROP COLUMN note;
        ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
        ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;
        ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);
        ALTER TABLE accounts ADD CONSTRAINT accounts_name_key UNIQUE (name);
        CREATE INDEX orders_total_idx ON orders (total);
        DROP INDEX orders_account_idx;
        ALTER TABLE orders DROP CONSTRAINT orders_ref_check;
        DROP TABLE audit;
        """);
    CHAIN_FILES.put("V5__drop_legacy.sql", "DROP SCHEMA legacy CASCADE;\n");
    CHAIN_FILES.put("V6__tier.sql", "ALTER TABLE accounts ADD COLUMN tier text NOT NULL;\n");
  }

  @AfterEach
  void noCreateDb() throws Exception {
    execAdmin("postgres", "ALTER ROLE " + USER + " NOCREATEDB");
  }

  private List<String> scratchDatabases() throws Exception {
    try (var c = admin();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE 'tidemark_rehearsal_%'")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }

  private static List<String> findings(JsonNode rehearsal) {
    List<String> found = new ArrayList<>();
    rehearsal
        .path("destructive")
        .forEach(
            f ->
                found.add(
                    f.path("revision").asText()
                        + " "
                        + f.path("kind").asText()
                        + " "
                        + f.path("object").asText()));
    return found;
  }

  @Test
  void eachDestructiveKindIsFoundInItsRevisionAndHarmlessOnesAreNot() throws Exception {
    execAdmin("postgres", "ALTER ROLE " + USER + " CREATEDB");
    Path chain = chain(CHAIN_FILES);
    assertThat(run("migrate", "--target", "1", "--location", chain.toString()).exit()).isZero();
    CatalogSnapshot before = catalog();
    List<String> rowsBefore = query("SELECT id || ':' || note || ':' || total FROM orders");

    Run plan = run("plan", "--rehearse", "--json", "--location", chain.toString());
    assertThat(plan.exit()).as(plan.err()).isZero();

    List<String> expected =
        List.of(
            "4 ColumnDropped public.orders.note",
            "4 ColumnTypeChanged public.orders.total",
            "4 NotNullAdded public.accounts.name",
            "4 CheckAdded public.orders.orders_total_positive",
            "4 UniqueAdded public.accounts.accounts_name_key",
            "4 IndexNotConcurrent public.orders_total_idx",
            "4 IndexDropped public.orders_account_idx",
            "4 ConstraintDropped public.orders.orders_ref_check",
            "4 TableDropped public.audit",
            "5 SchemaDropped legacy",
            "6 NotNullAdded public.accounts.tier");
    JsonNode printed = JSON.readTree(plan.out()).path("rehearsal");
    assertThat(printed.path("outcome").asText()).isEqualTo("done");
    assertThat(findings(printed)).containsExactlyInAnyOrderElementsOf(expected);
    JsonNode reported = JSON.readTree(plan.report()).path("rehearsal");
    assertThat(reported.path("outcome").asText()).isEqualTo("done");
    assertThat(findings(reported)).containsExactlyInAnyOrderElementsOf(expected);

    // The real database: not one object or row changed, and the scratch copy is gone.
    assertThat(catalog().differencesFrom(before)).isEmpty();
    assertThat(query("SELECT id || ':' || note || ':' || total FROM orders")).isEqualTo(rowsBefore);
    assertThat(history()).containsExactly("1");
    assertThat(scratchDatabases()).isEmpty();
  }

  @Test
  void aRevisionThatFailsOnTheCopyFailsThePlanAndTouchesNothing() throws Exception {
    execAdmin("postgres", "ALTER ROLE " + USER + " CREATEDB");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("V1__start.sql", CHAIN_FILES.get("V1__start.sql"));
    files.put("V2__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;\n");
    Path chain = chain(files);
    assertThat(run("migrate", "--target", "1", "--location", chain.toString()).exit()).isZero();
    CatalogSnapshot before = catalog();

    Run plan = run("plan", "--rehearse", "--location", chain.toString());
    assertThat(plan.exit()).isEqualTo(1);
    JsonNode report = JSON.readTree(plan.report());
    assertThat(report.path("reason").asText()).isEqualTo("RehearsalFailed");
    assertThat(report.path("message").asText())
        .contains("revision 2 (V2__broken.sql) failed on a schema-only copy")
        .contains("no_such_table");
    assertThat(plan.out()).as("the plan is still shown").contains("2");
    assertThat(catalog().differencesFrom(before)).isEmpty();
    assertThat(history()).containsExactly("1");
    assertThat(scratchDatabases()).isEmpty();
  }

  @Test
  void withoutThePrivilegeToCreateADatabaseTheRehearsalIsSkippedAndSaysWhy() throws Exception {
    Path chain = chain(CHAIN_FILES);
    assertThat(run("migrate", "--target", "1", "--location", chain.toString()).exit()).isZero();

    Run plan = run("plan", "--rehearse", "--location", chain.toString());
    assertThat(plan.exit()).as(plan.err()).isZero();
    JsonNode rehearsal = JSON.readTree(plan.report()).path("rehearsal");
    assertThat(rehearsal.path("outcome").asText()).isEqualTo("skipped");
    assertThat(rehearsal.path("reason").asText()).contains("CREATEDB");
    assertThat(plan.out()).contains("Rehearsal skipped: ").contains("CREATEDB");
    assertThat(history()).containsExactly("1");
  }

  @Test
  void aPlanWithNothingToDoRehearsesNothing() throws Exception {
    execAdmin("postgres", "ALTER ROLE " + USER + " CREATEDB");
    Path chain = chain(CHAIN_FILES);
    assertThat(run("migrate", "--target", "5", "--location", chain.toString()).exit()).isZero();

    Run plan = run("plan", "--rehearse", "--target", "5", "--location", chain.toString());
    assertThat(plan.exit()).as(plan.err()).isZero();
    JsonNode rehearsal = JSON.readTree(plan.report()).path("rehearsal");
    assertThat(rehearsal.path("outcome").asText()).isEqualTo("done");
    assertThat(rehearsal.has("destructive")).isFalse();
    assertThat(scratchDatabases()).isEmpty();
  }

  @Test
  void aNewDatabaseWithoutAHistoryTableIsRehearsedToo() throws Exception {
    execAdmin("postgres", "ALTER ROLE " + USER + " CREATEDB");
    Path chain = chain(CHAIN_FILES);

    Run plan = run("plan", "--rehearse", "--target", "5", "--location", chain.toString());
    assertThat(plan.exit()).as(plan.err()).isZero();
    JsonNode rehearsal = JSON.readTree(plan.report()).path("rehearsal");
    assertThat(rehearsal.path("outcome").asText()).as(rehearsal.toString()).isEqualTo("done");
    // What revision 1 creates in the same change holds no rows yet: dropping or changing it in
    // revision 4 loses nothing, so nothing is destructive.
    assertThat(rehearsal.has("destructive")).as(rehearsal.toString()).isFalse();
    assertThat(history()).isEmpty();
    assertThat(tables()).isEmpty();
    assertThat(scratchDatabases()).isEmpty();
  }

  @Test
  void aScratchDatabaseLeftByAKilledRehearsalIsDroppedByTheNextOne() throws Exception {
    execAdmin("postgres", "ALTER ROLE " + USER + " CREATEDB");
    long now = System.currentTimeMillis() / 1000;
    String stale = Rehearsal.SCRATCH_PREFIX + (now - 7 * 3600) + "_0a1b2c";
    String running = Rehearsal.SCRATCH_PREFIX + (now - 60) + "_3d4e5f";
    execAdmin("postgres", "CREATE DATABASE " + stale + " OWNER " + USER);
    execAdmin("postgres", "CREATE DATABASE " + running + " OWNER " + USER);
    try {
      Path chain = chain(CHAIN_FILES);
      Run plan = run("plan", "--rehearse", "--target", "2", "--location", chain.toString());
      assertThat(plan.exit()).as(plan.err()).isZero();
      assertThat(scratchDatabases())
          .as("another rehearsal's, still young, stays")
          .containsExactly(running);
    } finally {
      execAdmin("postgres", "DROP DATABASE IF EXISTS " + running);
      execAdmin("postgres", "DROP DATABASE IF EXISTS " + stale);
    }
  }
}
