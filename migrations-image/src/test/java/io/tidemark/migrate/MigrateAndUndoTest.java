package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrateAndUndoTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void wholeChainUpDownToBaseAndUpAgainGivesTheSameCatalog() throws Exception {
    Run up = run("migrate");
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(history()).containsExactly("1", "2", "3", "4", "5");
    assertThat(tables()).containsExactly("tasks", "users");
    CatalogSnapshot atLatest = catalog();
    assertThat(atLatest.objects())
        .containsKeys(
            "index public.tasks_title_idx", "trigger public.tasks.tasks_touch_updated_at",
            "view public.open_tasks", "enum public.task_priority",
            "column public.tasks.priority", "function public.touch_updated_at()");

    Run down = run("undo", "--target", "0");
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(history()).isEmpty();
    assertThat(tables()).isEmpty();
    assertThat(query("SELECT count(*) FROM pg_type WHERE typname = 'task_priority'"))
        .containsExactly("0");
    JsonNode report = JSON.readTree(down.report());
    assertThat(report.get("revisions").toString()).isEqualTo("[\"5\",\"4\",\"3\",\"2\",\"1\"]");
    assertThat(report.get("current").asText()).isEqualTo("0");
    assertThat(report.get("direction").asText()).isEqualTo("down");

    Run again = run("migrate", "--target", "latest");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(catalog().differencesFrom(atLatest)).isEmpty();
  }

  @Test
  void migrateToATargetStopsThereAndReportsWhatItDid() throws Exception {
    Run run = run("migrate", "--target", "2");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(history()).containsExactly("1", "2");
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("v").asInt()).isEqualTo(1);
    assertThat(report.get("command").asText()).isEqualTo("migrate");
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("exit").asInt()).isZero();
    assertThat(report.get("current").asText()).isEqualTo("2");
    assertThat(report.get("target").asText()).isEqualTo("2");
    assertThat(report.get("latest").asText()).isEqualTo("5");
    assertThat(report.get("direction").asText()).isEqualTo("up");
    assertThat(report.get("revisions").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(report.get("undoMissing").size()).isZero();
    assertThat(report.get("truncated").asInt()).isZero();
    assertThat(report.get("server").asText()).startsWith("15.");
    assertThat(report.get("digest").asText()).matches("sha256:[0-9a-f]{64}");
    assertThat(report.has("ms")).isTrue();
    assertThat(report.has("reason")).isFalse();
    // Progress on stderr: which revision starts and how long it took.
    assertThat(run.err())
        .contains("migrating to 1 (create users")
        .contains("2 applied in")
        .contains("2 revision(s) applied in");

    Run second = run("migrate", "--target", "2");
    assertThat(second.exit()).isZero();
    assertThat(second.out()).contains("nothing to migrate");
  }

  @Test
  void undoToARevisionRunsNewestFirstIncludingANonTransactionalOne() throws Exception {
    assertThat(run("migrate").exit()).isZero();
    Run run = run("undo", "--target", "2");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(history()).containsExactly("1", "2");
    assertThat(query("SELECT indexname FROM pg_indexes WHERE indexname = 'tasks_title_idx'"))
        .isEmpty();
    assertThat(
            query(
                "SELECT column_name FROM information_schema.columns"
                    + " WHERE table_name = 'tasks' ORDER BY ordinal_position"))
        .containsExactly("id", "user_id", "title", "done");
    assertThat(run.err().indexOf("undoing 5")).isLessThan(run.err().indexOf("undoing 4"));
    assertThat(run.err())
        .contains(
            "undoing 3 (tasks title index, U3__tasks_title_index.sql," + " non-transactional)");
  }

  @Test
  void dataBackfillFillsExistingRows() throws Exception {
    assertThat(run("migrate", "--target", "3").exit()).isZero();
    exec("INSERT INTO users (email) VALUES ('a@example.com')");
    exec("INSERT INTO tasks (user_id, title) SELECT id, 'URGENT: pay rent' FROM users");
    exec("INSERT INTO tasks (user_id, title) SELECT id, 'water plants' FROM users");
    assertThat(run("migrate", "--target", "4").exit()).isZero();
    assertThat(query("SELECT title, priority FROM tasks ORDER BY title"))
        .containsExactly("URGENT: pay rent|high", "water plants|normal");
  }

  @Test
  void concurrentIndexMigrationCompletesWithTimeoutsSet() throws Exception {
    assertThat(run("migrate", "--target", "2").exit()).isZero();
    Run run =
        run("migrate", "--target", "3", "--lock-timeout", "10s", "--statement-timeout", "2min");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(
            query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'tasks_title_idx'::regclass"))
        .containsExactly("t");
    assertThat(query("SELECT success FROM flyway_schema_history WHERE version = '3'"))
        .containsExactly("t");
  }

  @Test
  void failureInTheMiddleLeavesTheLastGoodRevisionAndTheReportSaysWhich() throws Exception {
    Path chain = copyOfChain();
    Files.writeString(
        chain.resolve("V4__task_priority_backfill.sql"),
        "ALTER TABLE tasks ADD COLUMN priority text;\nSELECT * FROM no_such_table;\n");
    Run run = run("migrate", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(history()).containsExactly("1", "2", "3");
    // V4 ran in its own transaction: its first statement was rolled back too.
    assertThat(
            query(
                "SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_name = 'tasks' AND column_name = 'priority'"))
        .containsExactly("0");
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("ok").asBoolean()).isFalse();
    assertThat(report.get("exit").asInt()).isEqualTo(1);
    assertThat(report.get("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(report.get("failed").asText()).isEqualTo("4");
    assertThat(report.get("current").asText()).isEqualTo("3");
    assertThat(report.get("revisions").toString()).isEqualTo("[\"1\",\"2\",\"3\"]");
    assertThat(report.get("message").asText())
        .contains("V4__task_priority_backfill.sql")
        .contains("no_such_table");
    assertThat(run.err()).contains("4 failed after");
  }

  @Test
  void failedNonTransactionalMigrationIsReportedAndClearedByUndo() throws Exception {
    Path chain = copyOfChain();
    Files.writeString(
        chain.resolve("V3__tasks_title_index.sql"),
        "CREATE UNIQUE INDEX CONCURRENTLY tasks_title_idx ON tasks (title);\n");
    assertThat(run("migrate", "--target", "2", "--location", chain.toString()).exit()).isZero();
    exec("INSERT INTO users (email) VALUES ('a@example.com')");
    exec("INSERT INTO tasks (user_id, title) SELECT id, 'same' FROM users");
    exec("INSERT INTO tasks (user_id, title) SELECT id, 'same' FROM users");

    Run failed = run("migrate", "--location", chain.toString());
    assertThat(failed.exit()).isEqualTo(1);
    JsonNode report = JSON.readTree(failed.report());
    assertThat(report.get("failed").asText()).isEqualTo("3");
    assertThat(report.get("current").asText()).isEqualTo("2");

    // The failed row blocks migrate until it is cleared (migrate --clear-failed,
    // PartialRevisionTest)...
    Run blocked = run("migrate", "--location", chain.toString());
    assertThat(blocked.exit()).isEqualTo(1);
    assertThat(JSON.readTree(blocked.report()).get("reason").asText())
        .isEqualTo("RevisionFailedPartway");
    assertThat(blocked.err()).contains("--clear-failed 3", "invalid index public.tasks_title_idx");
    // ...or undone: U3 drops the invalid index and the row goes.
    Run undo = run("undo", "--target", "2", "--location", chain.toString());
    assertThat(undo.exit()).as(undo.err()).isZero();
    assertThat(history()).containsExactly("1", "2");
    assertThat(query("SELECT count(*) FROM pg_class WHERE relname = 'tasks_title_idx'"))
        .containsExactly("0");
  }

  @Test
  void failingUndoScriptIsRolledBackWithItsHistoryRow() throws Exception {
    Path chain = copyOfChain();
    Files.writeString(
        chain.resolve("U4__task_priority_backfill.sql"),
        "ALTER TABLE tasks DROP COLUMN priority;\nDROP TABLE no_such_table;\n");
    assertThat(run("migrate", "--location", chain.toString()).exit()).isZero();
    Run run = run("undo", "--target", "2", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(history()).containsExactly("1", "2", "3", "4");
    assertThat(
            query(
                "SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_name = 'tasks' AND column_name = 'priority'"))
        .containsExactly("1");
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("reason").asText()).isEqualTo("MigrationFailed");
    assertThat(report.get("failed").asText()).isEqualTo("4");
    assertThat(report.get("current").asText()).isEqualTo("4");
    assertThat(report.get("revisions").toString()).isEqualTo("[\"5\"]");
  }

  @Test
  void missingUndoScriptIsRefusedBeforeAnythingChanges() throws Exception {
    Path chain = copyOfChain();
    Files.delete(chain.resolve("U2__create_tasks.sql"));
    assertThat(run("migrate", "--location", chain.toString()).exit()).isZero();
    List<String> historyBefore = query("SELECT * FROM flyway_schema_history ORDER BY 1");
    CatalogSnapshot catalogBefore = catalog();

    Run run = run("undo", "--target", "0", "--location", chain.toString());

    assertThat(run.exit()).isEqualTo(3);
    assertThat(query("SELECT * FROM flyway_schema_history ORDER BY 1")).isEqualTo(historyBefore);
    assertThat(catalog().differencesFrom(catalogBefore)).isEmpty();
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("reason").asText()).isEqualTo("UndoScriptMissing");
    assertThat(report.get("undoMissing").toString()).isEqualTo("[\"2\"]");
    assertThat(report.get("message").asText()).contains("revision(s) 2").contains("U2__*.sql");
    assertThat(run.err()).contains("no undo script for revision(s) 2");
  }

  @Test
  void unknownAndMalformedTargetsAreRefusedWithTheAvailableRevisions() throws Exception {
    assertThat(run("migrate", "--target", "2").exit()).isZero();
    for (String target : List.of("42", "abc", "1..2", "-1", "v3")) {
      for (String command : List.of("migrate", "undo", "plan", "preview")) {
        Run run = run(command, "--target", target);
        assertThat(run.exit()).as(command + " " + target).isEqualTo(3);
        assertThat(run.err()).contains("0 (base), 1, 2, 3, 4, 5 (latest 5)");
        JsonNode report = JSON.readTree(run.report());
        assertThat(report.get("reason").asText())
            .isEqualTo(target.equals("42") ? "UnknownRevision" : "InvalidArgument");
      }
    }
    assertThat(history()).containsExactly("1", "2");
  }

  @Test
  void aTargetWithLeadingZerosIsTheRevisionItNamesAndIsReportedAsTheChainSpellsIt()
      throws Exception {
    Run plan = run("plan", "--target", "00002");
    assertThat(plan.exit()).isZero();
    assertThat(JSON.readTree(plan.report()).get("target").asText()).isEqualTo("2");
    Run migrate = run("migrate", "--target", "0002");
    assertThat(migrate.exit()).isZero();
    assertThat(JSON.readTree(migrate.report()).get("current").asText()).isEqualTo("2");
    assertThat(history()).containsExactly("1", "2");
    Run undo = run("undo", "--target", "01");
    assertThat(undo.exit()).isZero();
    assertThat(JSON.readTree(undo.report()).get("current").asText()).isEqualTo("1");
  }

  @Test
  void migrateRefusesToGoDownAndUndoRefusesToGoUp() throws Exception {
    assertThat(run("migrate", "--target", "3").exit()).isZero();
    Run down = run("migrate", "--target", "1");
    assertThat(down.exit()).isEqualTo(3);
    assertThat(down.err()).contains("use undo --target 1");
    Run up = run("undo", "--target", "5");
    assertThat(up.exit()).isEqualTo(3);
    assertThat(up.err()).contains("use migrate --target 5");
    assertThat(history()).containsExactly("1", "2", "3");
  }

  @Test
  void timeoutsAreAppliedToTheMigrationSessions() throws Exception {
    Path chain = tmp.resolve("timeouts");
    Files.createDirectories(chain);
    Files.writeString(
        chain.resolve("V1__settings.sql"),
        "CREATE TABLE settings AS SELECT current_setting('lock_timeout') AS lock_timeout,"
            + " current_setting('statement_timeout') AS statement_timeout;");
    Run run =
        run(
            "migrate",
            "--location",
            chain.toString(),
            "--lock-timeout",
            "3s",
            "--statement-timeout",
            "5min");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(query("SELECT lock_timeout, statement_timeout FROM settings"))
        .containsExactly("3s|5min");
  }

  @Test
  void badTimeoutFormatIsBadInput() {
    for (String value : List.of("10 s", "5m", "1d", "x", "10s; DROP TABLE users", "")) {
      Run run = run("migrate", "--lock-timeout", value);
      assertThat(run.exit()).as(value).isEqualTo(3);
      assertThat(run.err()).contains("is not a duration");
    }
  }
}
