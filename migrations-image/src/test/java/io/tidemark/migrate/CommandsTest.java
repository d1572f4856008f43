package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CommandsTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void infoShowsCurrentHistoryPendingAndLatest() throws Exception {
    assertThat(run("migrate", "--target", "2").exit()).isZero();
    Run text = run("info");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("Current revision: 2")
        .contains("Latest revision:  5")
        .contains("Pending:          3, 4, 5")
        .contains("create users")
        .contains("Success")
        .contains("U1__create_users.sql");

    Run json = run("info", "--json");
    assertThat(json.exit()).isZero();
    JsonNode info = JSON.readTree(json.out());
    assertThat(info.get("current").asText()).isEqualTo("2");
    assertThat(info.get("latest").asText()).isEqualTo("5");
    assertThat(info.get("pending").toString()).isEqualTo("[\"3\",\"4\",\"5\"]");
    JsonNode first = info.get("migrations").get(0);
    assertThat(first.get("version").asText()).isEqualTo("1");
    assertThat(first.get("script").asText()).isEqualTo("V1__create_users.sql");
    assertThat(first.get("state").asText()).isEqualTo("SUCCESS");
    assertThat(first.get("installedOn").asText()).isNotBlank();
    assertThat(first.get("checksum").isInt()).isTrue();
    assertThat(first.get("undoScript").asText()).isEqualTo("U1__create_users.sql");
    assertThat(info.get("migrations").get(2).get("state").asText()).isEqualTo("PENDING");
  }

  @Test
  void planUpDownAndNone() throws Exception {
    Path chain = copyOfChain();
    Files.delete(chain.resolve("U4__task_priority_backfill.sql"));
    Run up = run("plan", "--target", "latest", "--json", "--location", chain.toString());
    assertThat(up.exit()).as(up.err()).isZero();
    JsonNode plan = JSON.readTree(up.out());
    assertThat(plan.get("direction").asText()).isEqualTo("up");
    assertThat(plan.get("current").asText()).isEqualTo("0");
    assertThat(plan.get("server").asText()).startsWith("15.");
    assertThat(plan.get("digest").asText()).startsWith("sha256:");
    assertThat(plan.get("undoMissing").toString()).isEqualTo("[\"4\"]");
    JsonNode third = plan.get("revisions").get(2);
    assertThat(third.get("revision").asText()).isEqualTo("3");
    assertThat(third.get("transactional").asBoolean()).isFalse();
    assertThat(third.get("hasUndo").asBoolean()).isTrue();
    assertThat(plan.get("revisions").get(3).get("hasUndo").asBoolean()).isFalse();
    JsonNode report = JSON.readTree(up.report());
    assertThat(report.get("revisions").toString()).isEqualTo("[\"1\",\"2\",\"3\",\"4\",\"5\"]");
    assertThat(report.get("digest").asText()).isEqualTo(plan.get("digest").asText());
    assertThat(history()).isEmpty();

    assertThat(run("migrate", "--location", chain.toString()).exit()).isZero();
    Run down = run("plan", "--target", "2", "--location", chain.toString());
    assertThat(down.exit()).isZero();
    assertThat(down.out())
        .contains("down, 3 revision(s) to undo")
        .contains("(no undo script)")
        .contains("Without undo script: 4");
    JsonNode downReport = JSON.readTree(down.report());
    assertThat(downReport.get("revisions").toString()).isEqualTo("[\"5\",\"4\",\"3\"]");
    assertThat(downReport.get("undoMissing").toString()).isEqualTo("[\"4\"]");

    Run none = run("plan", "--target", "5", "--location", chain.toString());
    assertThat(JSON.readTree(none.report()).get("direction").asText()).isEqualTo("none");
    assertThat(history()).containsExactly("1", "2", "3", "4", "5");
  }

  @Test
  void digestChangesWhenAnyScriptChanges() throws Exception {
    Path chain = copyOfChain();
    String before =
        JSON.readTree(run("plan", "--location", chain.toString()).report()).get("digest").asText();
    Files.writeString(chain.resolve("U5__tasks_updated_at.sql"), "-- changed\n");
    String after =
        JSON.readTree(run("plan", "--location", chain.toString()).report()).get("digest").asText();
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void previewPrintsTheSqlUpAndDownWithoutRunningIt() throws Exception {
    assertThat(run("migrate", "--target", "2").exit()).isZero();
    Run up = run("preview", "--target", "4");
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(up.out())
        .contains("-- Tidemark preview: up from 2 to 4, 2 revision(s). Nothing was executed.")
        .contains(
            "-- ==== revision 3: tasks title index (V3__tasks_title_index.sql,"
                + " non-transactional) ====")
        .contains("CREATE INDEX CONCURRENTLY tasks_title_idx")
        .contains(
            "-- ==== revision 4: task priority backfill (V4__task_priority_backfill.sql,"
                + " in one transaction) ====");
    assertThat(history()).containsExactly("1", "2");

    Run down = run("preview", "--target", "0");
    assertThat(down.exit()).isZero();
    assertThat(down.out())
        .contains("-- ==== undo revision 2: create tasks (U2__create_tasks.sql")
        .contains("DROP TYPE task_priority;")
        .contains("DELETE FROM \"public\".\"flyway_schema_history\" WHERE version = '2';");
    assertThat(down.out().indexOf("undo revision 2"))
        .isLessThan(down.out().indexOf("undo revision 1"));
    assertThat(tables()).containsExactly("tasks", "users");
  }

  @Test
  void baselineAdoptsAnExistingDatabase() throws Exception {
    buildUpToRevision2ByHand();
    Run baseline = run("baseline", "--version", "2");
    assertThat(baseline.exit()).as(baseline.err()).isZero();
    assertThat(JSON.readTree(baseline.report()).get("current").asText()).isEqualTo("2");
    assertThat(query("SELECT version, type FROM flyway_schema_history"))
        .containsExactly("2|BASELINE");

    Run migrate = run("migrate");
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    assertThat(JSON.readTree(migrate.report()).get("revisions").toString())
        .isEqualTo("[\"3\",\"4\",\"5\"]");
    assertThat(run("undo", "--target", "2").exit()).isZero();
    Run belowBaseline = run("undo", "--target", "1");
    assertThat(belowBaseline.exit()).isEqualTo(3);
    assertThat(belowBaseline.err()).contains("baselined at 2");

    Run again = run("baseline", "--version", "3");
    assertThat(again.exit()).isEqualTo(3);
    assertThat(again.err()).contains("already has a migration history");
    Run unknown = run("baseline", "--version", "9");
    assertThat(unknown.exit()).isEqualTo(3);
  }

  @Test
  void verifyRoundTripOnTheTestChainIsClean() throws Exception {
    Run run = run("verify-roundtrip");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("Round trip clean");
    assertThat(history()).containsExactly("1", "2", "3", "4", "5");
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("command").asText()).isEqualTo("verify-roundtrip");
    assertThat(report.get("revisions").size()).isEqualTo(5);

    Run partial = run("verify-roundtrip", "--to", "3");
    assertThat(partial.exit()).as(partial.err()).isZero();
  }

  @Test
  void verifyRoundTripFindsAnUndoScriptThatLeavesSomethingBehind() throws Exception {
    Path chain = copyOfChain();
    // Forgets to drop the trigger function; V5 then fails or differs on the way up again.
    Files.writeString(
        chain.resolve("U5__tasks_updated_at.sql"),
        String.join(
            "\n",
            "DROP VIEW open_tasks;",
            "DROP TRIGGER tasks_touch_updated_at ON tasks;",
            "ALTER TABLE tasks DROP COLUMN updated_at;",
            "ALTER FUNCTION touch_updated_at() RENAME TO touch_updated_at_old;",
            ""));
    Run run = run("verify-roundtrip", "--to", "4", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(2);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("reason").asText()).isEqualTo("RoundTripMismatch");
    assertThat(report.get("message").asText()).contains("touch_updated_at_old");
    assertThat(run.out())
        .contains("DIFF after undo to 4: extra function public.touch_updated_at_old()");
  }

  @Test
  void verifyRoundTripRefusesWhenAnUndoScriptIsMissing() throws Exception {
    Path chain = copyOfChain();
    Files.delete(chain.resolve("U3__tasks_title_index.sql"));
    Run run = run("verify-roundtrip", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(3);
    assertThat(JSON.readTree(run.report()).get("reason").asText()).isEqualTo("UndoScriptMissing");
    assertThat(history()).isEmpty();
  }

  @Test
  void exampleChainRoundTrips() {
    Path examples = Path.of("..", "examples", "todo", "migrations");
    Assumptions.assumeTrue(Files.isDirectory(examples), "examples/todo/migrations not written yet");
    Run run = run("verify-roundtrip", "--location", examples.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
  }

  @Test
  void noMigrationsIsBadInput() throws Exception {
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    for (Path location : List.of(empty, tmp.resolve("absent"))) {
      Run run = run("migrate", "--location", location.toString());
      assertThat(run.exit()).isEqualTo(3);
      assertThat(JSON.readTree(run.report()).get("reason").asText()).isEqualTo("NoMigrations");
    }
  }

  @Test
  void usageErrorsAreBadInputAndStillReported() throws Exception {
    Run unknownCommand = run("upgrade");
    assertThat(unknownCommand.exit()).isEqualTo(3);
    assertThat(unknownCommand.err()).contains("unknown command 'upgrade'");
    assertThat(JSON.readTree(unknownCommand.report()).get("reason").asText())
        .isEqualTo("InvalidArgument");
    Run wrongOption = run("migrate", "--to", "3");
    assertThat(wrongOption.exit()).isEqualTo(3);
    assertThat(JSON.readTree(wrongOption.report()).get("command").asText()).isEqualTo("migrate");
    assertThat(run("undo").exit()).isEqualTo(3);
    Run help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("verify-roundtrip").contains("Exit codes");
  }
}
