package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several managed schemas ({@code --schema app,audit}, spec.schemas): the first holds the history
 * and is where unqualified names go, for the V scripts (Flyway) and the U scripts (the runner)
 * alike; Flyway creates the schemas; a schema with objects and no history anywhere among them needs
 * a baseline; wait reads the history where it is.
 */
class SchemasTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  Path chain;

  @BeforeEach
  void chainOverTwoSchemas() throws Exception {
    chain = Files.createDirectories(tmp.resolve("two-schemas"));
    Files.writeString(
        chain.resolve("V1__users.sql"),
        "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);\n");
    Files.writeString(chain.resolve("U1__users.sql"), "DROP TABLE users;\n");
    Files.writeString(
        chain.resolve("V2__audit_events.sql"),
        "CREATE TABLE audit.events (id bigint PRIMARY KEY,"
            + " user_id int NOT NULL REFERENCES users (id), what text NOT NULL);\n");
    Files.writeString(chain.resolve("U2__audit_events.sql"), "DROP TABLE audit.events;\n");
  }

  @Test
  void theFirstSchemaHoldsTheHistoryAndTheUnqualifiedNamesBothWays() throws Exception {
    Run migrate = run("migrate", "--schema", "app,audit", "--location", chain.toString());
    assertThat(migrate.exit()).as(migrate.all()).isZero();
    assertThat(
            query(
                "SELECT schemaname || '.' || tablename FROM pg_tables"
                    + " WHERE schemaname IN ('app', 'audit') ORDER BY 1"))
        .containsExactly("app.flyway_schema_history", "app.users", "audit.events");

    Run wait = run("wait", "--revision", "2", "--schema", "app,audit");
    assertThat(wait.exit()).as(wait.all()).isZero();

    // U1 says "DROP TABLE users": it finds app.users as V1 made it.
    Run undo =
        run("undo", "--target", "0", "--schema", "app,audit", "--location", chain.toString());
    assertThat(undo.exit()).as(undo.all()).isZero();
    assertThat(
            query(
                "SELECT count(*) FROM pg_tables WHERE schemaname IN ('app', 'audit')"
                    + " AND tablename <> 'flyway_schema_history'"))
        .containsExactly("0");
    assertThat(JSON.readTree(undo.report()).get("current").asText()).isEqualTo("0");
  }

  @Test
  void objectsWithoutHistoryInAnyManagedSchemaNeedABaseline() throws Exception {
    exec("CREATE SCHEMA audit AUTHORIZATION app");
    exec("CREATE TABLE audit.legacy (id int)");
    exec("ALTER TABLE audit.legacy OWNER TO app");
    Run plan = run("plan", "--schema", "app,audit", "--location", chain.toString());
    assertThat(plan.exit()).isEqualTo(3);
    assertThat(JSON.readTree(plan.report()).get("reason").asText()).isEqualTo("BaselineRequired");
    assertThat(JSON.readTree(plan.report()).get("message").asText())
        .startsWith("the schemas app, audit have 1 table but no history table");
  }

  @Test
  void schemasAreNamesSeparatedByCommasEachOnce() {
    assertThat(run("plan", "--schema", "app,,audit").exit()).isEqualTo(3);
    Run twice = run("plan", "--schema", "app,app");
    assertThat(twice.exit()).isEqualTo(3);
    assertThat(twice.err()).contains("names schema app twice");
  }
}
