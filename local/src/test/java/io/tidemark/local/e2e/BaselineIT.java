package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.model.BaselineSpec;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * spec.baseline: a database whose schema was made by hand (revisions 1 and 2 of the chain, run
 * without Flyway) is refused with BaselineRequired until the resource says which revision it
 * matches; then Tidemark adopts it and migrates the rest, keeping its rows.
 */
class BaselineIT extends E2eTestBase {
  private static void buildRevisions1And2ByHand(String ns) throws Exception {
    for (String script : new String[] {"V1__create_accounts.sql", "V2__create_orders.sql"}) {
      execute(ns, Files.readString(CHAINS.resolve("fixed").resolve(script)));
    }
    execute(ns, "ALTER TABLE accounts OWNER TO " + USER);
    execute(ns, "ALTER TABLE orders OWNER TO " + USER);
  }

  @Test
  void aHandMadeSchemaIsRefusedThenAdoptedAtTheDeclaredRevisionAndMigrated() throws Exception {
    String ns = newNamespaceWithDatabase();
    buildRevisions1And2ByHand(ns);

    create(schema(ns, "shop", FIXED_IMAGE, "latest"));
    DatabaseSchema refused = awaitPhase(ns, "shop", Phase.Failed);
    assertThat(refused.getStatus().getLastFailure().getReason()).isEqualTo("BaselineRequired");
    assertThat(refused.getStatus().getLastFailure().getMessage())
        .contains("2 tables but no history table")
        .contains("spec.baseline.revision");
    assertThat(tables(ns)).containsExactly("accounts", "orders");

    edit(
        ns,
        "shop",
        x -> {
          BaselineSpec baseline = new BaselineSpec();
          baseline.setRevision("2");
          x.getSpec().setBaseline(baseline);
        });
    DatabaseSchema ready = awaitReadyAt(ns, "shop", "3");

    assertThat(ready.getStatus().getBaseline().getRevision()).isEqualTo("2");
    assertThat(ready.getStatus().getHistory())
        .extracting(HistoryEntry::getAction)
        .containsExactly(HistoryAction.APPLIED, HistoryAction.BASELINED);
    assertThat(ready.getStatus().getHistory().get(0).getRevisions()).containsExactly("3");
    assertThat(eventReasons(ns, "shop")).contains("Baselined");
    assertThat(
            column(
                ns,
                "SELECT version || ':' || type FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("2:BASELINE", "3:SQL");
    // The rows made by hand are still there, with revision 3's column.
    assertThat(
            column(
                ns,
                "SELECT email || ':' || status FROM accounts JOIN orders ON"
                    + " orders.account_id = accounts.id ORDER BY email"))
        .hasSize(2);
    // The backup was taken before the adoption, of the hand-made schema.
    assertThat(ready.getStatus().getLastBackup().getRevision()).isEqualTo("2");
  }

  @Test
  void aDatabaseWithAHistoryIsNeverBaselined() throws Exception {
    String ns = newNamespaceWithDatabase();
    DatabaseSchema r = schema(ns, "shop", FIXED_IMAGE, "latest");
    BaselineSpec baseline = new BaselineSpec();
    baseline.setRevision("2");
    r.getSpec().setBaseline(baseline);
    create(r);

    // An empty schema: migrated from the start, nothing baselined.
    DatabaseSchema ready = awaitReadyAt(ns, "shop", "3");
    assertThat(ready.getStatus().getBaseline()).isNull();
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(column(ns, "SELECT count(*) FROM flyway_schema_history WHERE type = 'BASELINE'"))
        .containsExactly("0");
    assertThat(eventReasons(ns, "shop")).doesNotContain("Baselined");
  }
}
