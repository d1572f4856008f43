package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * A database whose schema has objects but no history table is refused up front by every command
 * that would plan or run migrate, instead of only by Flyway's migrate (after the operator's
 * backup).
 */
class BaselineRequiredTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private boolean historyTableExists() throws SQLException {
    return query("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")
        .get(0)
        .equals("t");
  }

  @Test
  void planRefusesANonEmptySchemaWithoutHistoryAndBaselineAdoptsIt() throws Exception {
    buildUpToRevision2ByHand();
    CatalogSnapshot before = catalog();

    Run plan = run("plan");
    assertThat(plan.exit()).as(plan.err()).isEqualTo(3);
    assertThat(plan.out()).isEmpty();
    JsonNode report = JSON.readTree(plan.report());
    assertThat(report.get("ok").asBoolean()).isFalse();
    assertThat(report.get("exit").asInt()).isEqualTo(3);
    assertThat(report.get("command").asText()).isEqualTo("plan");
    assertThat(report.get("reason").asText()).isEqualTo("BaselineRequired");
    assertThat(report.get("message").asText())
        .isEqualTo(
            "the schema public has 2 tables but no history table flyway_schema_history: adopt it"
                + " at the revision it matches (Alembic's stamp) with `baseline --version N` or"
                + " `--baseline-at N` (spec.baseline.revision in a DatabaseSchema), or point"
                + " spec.database at an empty database; nothing was changed");
    // Its revision is unknown: not "0", which would claim an empty database.
    assertThat(report.has("current")).isFalse();
    assertThat(report.has("revisions")).isFalse();
    assertThat(report.get("latest").asText()).isEqualTo("5");
    assertThat(report.get("server").asText()).startsWith("15.");
    assertThat(report.get("digest").asText()).startsWith("sha256:");
    assertThat(plan.err()).contains("tidemark: error: the schema public has 2 tables");
    assertThat(historyTableExists()).isFalse();

    // The same for every command that would plan or run migrate against the history.
    for (List<String> command :
        List.of(
            List.of("migrate"),
            List.of("migrate", "--target", "3"),
            List.of("plan", "--json"),
            List.of("undo", "--target", "0"),
            List.of("preview"),
            List.of("verify-roundtrip"))) {
      Run run = run(command.toArray(String[]::new));
      assertThat(run.exit()).as(command + ": " + run.err()).isEqualTo(3);
      assertThat(JSON.readTree(run.report()).get("reason").asText()).isEqualTo("BaselineRequired");
      assertThat(run.out()).as(String.join(" ", command)).isEmpty();
    }
    assertThat(historyTableExists()).isFalse();
    assertThat(catalog().differencesFrom(before)).isEmpty();

    // Looking is still allowed.
    assertThat(run("info").exit()).isZero();

    Run baseline = run("baseline", "--version", "2");
    assertThat(baseline.exit()).as(baseline.err()).isZero();
    Run planned = run("plan");
    assertThat(planned.exit()).as(planned.err()).isZero();
    JsonNode plannedReport = JSON.readTree(planned.report());
    assertThat(plannedReport.get("current").asText()).isEqualTo("2");
    assertThat(plannedReport.get("revisions").toString()).isEqualTo("[\"3\",\"4\",\"5\"]");
    Run migrate = run("migrate");
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    assertThat(history()).containsExactly("2", "3", "4", "5");
  }

  @Test
  void anyObjectCountsAsFlywayCountsItNotOnlyTables() throws Exception {
    exec("CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'");
    Run plan = run("plan");
    assertThat(plan.exit()).isEqualTo(3);
    assertThat(JSON.readTree(plan.report()).get("message").asText())
        .startsWith(
            "the schema public has 1 object (views, sequences, types or functions) but no"
                + " history table flyway_schema_history: adopt it at the revision it matches");
    assertThat(historyTableExists()).isFalse();
  }

  @Test
  void onlyTheManagedSchemaCounts() throws Exception {
    buildUpToRevision2ByHand();
    Run plan = run("plan", "--schema", "app_schema");
    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(JSON.readTree(plan.report()).get("current").asText()).isEqualTo("0");
  }

  /**
   * The check is Flyway's own rule: for each kind of object, the runner refuses plan exactly when
   * Flyway's migrate refuses with "non-empty schema".
   */
  @Test
  void refusesExactlyWhenFlywaysMigrateWould() throws Exception {
    List<String> fixtures =
        List.of(
            "",
            "CREATE TABLE t (id int)",
            "CREATE VIEW v AS SELECT 1 AS one",
            "CREATE SEQUENCE s",
            "CREATE TYPE mood AS ENUM ('ok')",
            "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public",
            "CREATE SCHEMA other; CREATE TABLE other.t (id int)");
    for (String fixture : fixtures) {
      createDatabase();
      if (!fixture.isEmpty()) {
        exec(fixture);
      }
      Run plan = run("plan");
      boolean runnerRefuses = plan.exit() == 3;
      if (!runnerRefuses) {
        assertThat(plan.exit()).as(fixture + ": " + plan.err()).isZero();
      }
      boolean flywayRefuses;
      try {
        Flyway.configure()
            .dataSource(postgres.getDatabase("postgres", database))
            .locations("filesystem:" + CHAIN.toAbsolutePath())
            .schemas("public")
            .validateMigrationNaming(false)
            .target("1")
            .load()
            .migrate();
        flywayRefuses = false;
      } catch (FlywayException e) {
        assertThat(e.getMessage()).as(fixture).contains("non-empty schema");
        flywayRefuses = true;
      }
      assertThat(runnerRefuses).as(fixture).isEqualTo(flywayRefuses);
      assertThat(runnerRefuses)
          .as(fixture)
          .isEqualTo(
              !fixture.isEmpty() && !fixture.contains("EXTENSION") && !fixture.contains("other."));
    }
  }
}
