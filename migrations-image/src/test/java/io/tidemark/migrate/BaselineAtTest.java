package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code --baseline-at N} (spec.baseline.revision): plan and migrate adopt a schema that has
 * objects but no history at revision N, and only such a schema; a database with a history, or an
 * empty schema, is migrated as without it.
 */
class BaselineAtTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void planSaysItWillAdoptAndChangesNothingThenMigrateAdoptsAndApplies() throws Exception {
    buildUpToRevision2ByHand();
    CatalogSnapshot before = catalog();

    Run plan = run("plan", "--baseline-at", "2");
    assertThat(plan.exit()).as(plan.err()).isZero();
    JsonNode planned = JSON.readTree(plan.report());
    assertThat(planned.get("baseline").asText()).isEqualTo("2");
    assertThat(planned.get("current").asText()).isEqualTo("2");
    assertThat(planned.get("direction").asText()).isEqualTo("up");
    assertThat(planned.get("revisions").toString()).isEqualTo("[\"3\",\"4\",\"5\"]");
    assertThat(plan.out()).contains("adopts it at revision 2 (baseline) first");
    assertThat(history()).as("a plan writes nothing").isEmpty();
    assertThat(catalog().differencesFrom(before)).isEmpty();

    Run migrate = run("migrate", "--baseline-at", "2");
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    JsonNode migrated = JSON.readTree(migrate.report());
    assertThat(migrated.get("baseline").asText()).isEqualTo("2");
    assertThat(migrated.get("current").asText()).isEqualTo("5");
    assertThat(migrated.get("revisions").toString()).isEqualTo("[\"3\",\"4\",\"5\"]");
    assertThat(history()).containsExactly("2", "3", "4", "5");
    assertThat(query("SELECT type FROM flyway_schema_history WHERE version = '2'"))
        .containsExactly("BASELINE");
    // The hand-made tables are still there, with what revisions 3 to 5 added.
    assertThat(tables()).contains("users", "tasks");

    // A database with a history is never baselined again, whatever the flag says.
    Run again = run("migrate", "--baseline-at", "1");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(JSON.readTree(again.report()).has("baseline")).isFalse();
    assertThat(history()).containsExactly("2", "3", "4", "5");
  }

  @Test
  void anEmptySchemaIsMigratedFromTheStartNotBaselined() throws Exception {
    Run migrate = run("migrate", "--baseline-at", "3");
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    assertThat(JSON.readTree(migrate.report()).has("baseline")).isFalse();
    assertThat(history()).containsExactly("1", "2", "3", "4", "5");
    assertThat(query("SELECT count(*) FROM flyway_schema_history WHERE type = 'BASELINE'"))
        .containsExactly("0");
  }

  @Test
  void adoptingAtTheTargetWritesTheBaselineAlone() throws Exception {
    buildUpToRevision2ByHand();

    Run migrate = run("migrate", "--target", "2", "--baseline-at", "2");
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    JsonNode report = JSON.readTree(migrate.report());
    assertThat(report.get("baseline").asText()).isEqualTo("2");
    assertThat(report.get("current").asText()).isEqualTo("2");
    assertThat(history()).containsExactly("2");
  }

  @Test
  void aRevisionTheImageDoesNotHoldIsRefusedAndNothingChanges() throws Exception {
    buildUpToRevision2ByHand();
    CatalogSnapshot before = catalog();

    Run migrate = run("migrate", "--baseline-at", "9");
    assertThat(migrate.exit()).isEqualTo(3);
    JsonNode report = JSON.readTree(migrate.report());
    assertThat(report.get("reason").asText()).isEqualTo("UnknownRevision");
    assertThat(report.get("message").asText())
        .contains("cannot adopt the schema at revision '9'")
        .contains("nothing was changed");
    assertThat(history()).isEmpty();
    assertThat(catalog().differencesFrom(before)).isEmpty();

    Run malformed = run("plan", "--baseline-at", "two");
    assertThat(malformed.exit()).isEqualTo(3);
    assertThat(JSON.readTree(malformed.report()).get("reason").asText())
        .isEqualTo("InvalidArgument");
  }
}
