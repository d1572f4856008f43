package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A revision that runs outside a transaction ({@code CREATE INDEX CONCURRENTLY}) and fails
 * part-way, here at lock_timeout while a writer keeps its transaction open: what it left behind is
 * said by name, nothing runs over it, and {@code --clear-failed} is the way forward.
 */
class PartialRevisionTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INVALID =
      "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid";
  private static final String VALID =
      "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indisvalid"
          + " AND c.relname = 'tasks_title'";

  private Path chain() throws Exception {
    return chain(
        Map.of(
            "V1__tasks.sql",
                "CREATE TABLE tasks (id int PRIMARY KEY, title text);\n"
                    + "INSERT INTO tasks SELECT g, 'task ' || g FROM generate_series(1, 1000) g;",
            "V2__tasks_title_index.sql", "CREATE INDEX CONCURRENTLY tasks_title ON tasks (title);",
            "U2__tasks_title_index.sql", "DROP INDEX CONCURRENTLY IF EXISTS tasks_title;",
            "V3__notes.sql", "CREATE TABLE notes (id int);",
            "U3__notes.sql", "DROP TABLE notes;"));
  }

  /**
   * Migrates to 1, then fails revision 2 at the lock timeout: a writer's open transaction blocks
   * the index build.
   */
  private Run failRevisionTwo(Path chain) throws Exception {
    assertThat(run("migrate", "--location", chain.toString(), "--target", "1").exit()).isZero();
    try (Connection writer = admin();
        Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.execute("INSERT INTO tasks VALUES (1001, 'in flight')");
      Run run = run("migrate", "--location", chain.toString(), "--lock-timeout", "1s");
      writer.rollback();
      return run;
    }
  }

  @Test
  void aFailedConcurrentIndexIsNamedAndClearedByItsUndoScriptThenTheMigrationGoesOn()
      throws Exception {
    Path chain = chain();
    Run failed = failRevisionTwo(chain);

    assertThat(failed.exit()).as(failed.err()).isEqualTo(1);
    JsonNode report = JSON.readTree(failed.report());
    assertThat(report.get("reason").asText()).isEqualTo("RevisionFailedPartway");
    assertThat(report.get("failed").asText()).isEqualTo("2");
    assertThat(report.get("current").asText()).isEqualTo("1");
    assertThat(report.get("message").asText())
        .contains(
            "V2__tasks_title_index.sql",
            "55P03",
            "outside a transaction",
            "invalid index public.tasks_title",
            "the failed row of revision 2",
            "--clear-failed 2",
            "U2__tasks_title_index.sql");
    assertThat(query(INVALID)).containsExactly("tasks_title");

    // Nothing runs over it: plan and migrate say the same, and change nothing.
    for (String command : List.of("plan", "migrate")) {
      Run refused = run(command, "--location", chain.toString());
      assertThat(refused.exit()).as(command + ": " + refused.err()).isEqualTo(1);
      assertThat(JSON.readTree(refused.report()).get("reason").asText())
          .isEqualTo("RevisionFailedPartway");
      assertThat(refused.report()).contains("invalid index public.tasks_title", "--clear-failed 2");
    }
    Run plan = run("plan", "--location", chain.toString(), "--json");
    assertThat(plan.out()).contains("\"invalidIndexes\" : [ \"public.tasks_title\" ]");
    assertThat(query(INVALID)).containsExactly("tasks_title");

    // Naming another revision clears nothing.
    assertThat(run("migrate", "--location", chain.toString(), "--clear-failed", "3").exit())
        .isEqualTo(1);

    Run planned = run("plan", "--location", chain.toString(), "--clear-failed", "2");
    assertThat(planned.exit()).as(planned.err()).isZero();
    assertThat(planned.out()).contains("Clears revision 2 first: runs U2__tasks_title_index.sql");
    // With a rehearsal asked for (spec.approval), the way out is planned, not rehearsed.
    Run rehearsed =
        run("plan", "--location", chain.toString(), "--clear-failed", "2", "--rehearse");
    assertThat(rehearsed.exit()).as(rehearsed.err()).isZero();
    assertThat(JSON.readTree(rehearsed.report()).at("/rehearsal/reason").asText())
        .contains("first clears revision 2");

    Run cleared = run("migrate", "--location", chain.toString(), "--clear-failed", "2");
    assertThat(cleared.exit()).as(cleared.err()).isZero();
    assertThat(JSON.readTree(cleared.report()).get("current").asText()).isEqualTo("3");
    assertThat(history()).containsExactly("1", "2", "3");
    assertThat(query(INVALID)).isEmpty();
    assertThat(query(VALID)).containsExactly("tasks_title");

    // Left in place afterwards, the request is harmless.
    Run again = run("migrate", "--location", chain.toString(), "--clear-failed", "2");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
  }

  /**
   * A server restart can keep Flyway from recording the failure: the index is left, the row is not.
   */
  @Test
  void withoutAFailedRowTheInvalidIndexIsStillNamedAndClearedBeforeTheRevisionRunsAgain()
      throws Exception {
    Path chain = chain();
    assertThat(failRevisionTwo(chain).exit()).isEqualTo(1);
    try (Connection admin = admin();
        Statement s = admin.createStatement()) {
      s.execute("DELETE FROM flyway_schema_history WHERE NOT success");
    }

    Run plan = run("plan", "--location", chain.toString());
    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains(
            "Invalid indexes (left by a CREATE INDEX CONCURRENTLY that failed): public.tasks_title");

    Run rerun = run("migrate", "--location", chain.toString());
    assertThat(rerun.exit()).isEqualTo(1);
    assertThat(JSON.readTree(rerun.report()).get("reason").asText())
        .isEqualTo("RevisionFailedPartway");
    assertThat(rerun.report())
        .contains("already exists", "invalid index public.tasks_title", "--clear-failed 2");
    try (Connection admin = admin();
        Statement s = admin.createStatement()) {
      s.execute("DELETE FROM flyway_schema_history WHERE NOT success");
    }

    Run cleared = run("migrate", "--location", chain.toString(), "--clear-failed", "2");
    assertThat(cleared.exit()).as(cleared.err()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
    assertThat(query(INVALID)).isEmpty();
  }

  @Test
  void clearingWithoutAnUndoScriptIsRefusedWithNothingChanged() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__tasks.sql", "CREATE TABLE tasks (id int PRIMARY KEY, title text);",
                "V2__tasks_title_index.sql",
                    "CREATE INDEX CONCURRENTLY tasks_title ON tasks (title);"));
    assertThat(failRevisionTwo(chain).exit()).isEqualTo(1);
    Run refused = run("migrate", "--location", chain.toString(), "--clear-failed", "2");
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.report())
        .contains("UndoScriptMissing", "no undo script U2__*.sql", "DROP INDEX CONCURRENTLY");
    assertThat(query(INVALID)).containsExactly("tasks_title");
  }
}
