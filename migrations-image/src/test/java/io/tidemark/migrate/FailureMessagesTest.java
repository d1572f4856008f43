package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report's message as the operator shows it: after "Migration from A to B failed: ", with ".
 * The database is at revision N." appended unless the message already says where the database is.
 * It must read as one sentence per fact, never the same one twice.
 */
class FailureMessagesTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the operator's SchemaFlow.changeFailed builds from a report. */
  private static String asTheOperatorShowsIt(String step, String from, String to, JsonNode report) {
    String what = report.get("message").asText();
    String at = report.has("current") ? report.get("current").asText() : from;
    return step
        + " from "
        + from
        + " to "
        + to
        + " failed"
        + (report.has("failed") ? " at revision " + report.get("failed").asText() : "")
        + ": "
        + what
        + (!what.contains("database is at revision")
            ? ". The database is at revision " + at + "."
            : "");
  }

  private static void assertReadsWell(String shown) {
    assertThat(shown).doesNotContain("..").doesNotContain(".;").doesNotContain("\n");
    String lower = shown.toLowerCase();
    assertThat(lower.indexOf("database is at revision"))
        .as(shown)
        .isEqualTo(lower.lastIndexOf("database is at revision"));
    List<String> clauses = Arrays.stream(shown.split("[;.] ")).map(String::strip).toList();
    assertThat(clauses).as(shown).doesNotHaveDuplicates();
  }

  @Test
  void migrateFailureNamesTheFileLineErrorAndRevisionOnce() throws Exception {
    Path chain = copyOfChain();
    Files.writeString(
        chain.resolve("V4__task_priority_backfill.sql"),
        "ALTER TABLE tasks ADD COLUMN priority text;\nSELECT * FROM no_such_table;\n");
    assertThat(run("migrate", "--target", "2", "--location", chain.toString()).exit()).isZero();
    Run run = run("migrate", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("message").asText())
        .isEqualTo(
            "V4__task_priority_backfill.sql failed (SQLState 42P01, line 2): ERROR: relation"
                + " \"no_such_table\" does not exist; the database is at revision 3");
    String shown = asTheOperatorShowsIt("Migration", "2", "5", report);
    assertThat(shown)
        .isEqualTo(
            "Migration from 2 to 5 failed at revision 4:"
                + " V4__task_priority_backfill.sql failed (SQLState 42P01, line 2): ERROR: relation"
                + " \"no_such_table\" does not exist; the database is at revision 3");
    assertReadsWell(shown);
    assertThat(run.err()).contains("tidemark: error: " + report.get("message").asText());
  }

  @Test
  void undoFailureSaysTheRevisionOnceInTheSameWords() throws Exception {
    Path chain = copyOfChain();
    Files.writeString(
        chain.resolve("U4__task_priority_backfill.sql"),
        "ALTER TABLE tasks DROP COLUMN priority;\n\n-- oops\nDROP TABLE no_such_table;\n");
    assertThat(run("migrate", "--location", chain.toString()).exit()).isZero();
    Run run = run("undo", "--target", "2", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("message").asText())
        .isEqualTo(
            "U4__task_priority_backfill.sql failed (SQLState 42P01, line 3): ERROR: table"
                + " \"no_such_table\" does not exist; it was rolled back; the database is at revision 4");
    String shown = asTheOperatorShowsIt("Undo", "5", "2", report);
    assertThat(shown).endsWith("; it was rolled back; the database is at revision 4");
    assertReadsWell(shown);
  }

  @Test
  void nonTransactionalUndoFailureSaysWhatStays() throws Exception {
    Path chain = copyOfChain();
    Files.writeString(
        chain.resolve("U3__tasks_title_index.sql"),
        "DROP INDEX CONCURRENTLY tasks_title_idx;\nDROP INDEX CONCURRENTLY no_such_idx;\n");
    assertThat(run("migrate", "--target", "3", "--location", chain.toString()).exit()).isZero();
    Run run = run("undo", "--target", "2", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("message").asText())
        .isEqualTo(
            "U3__tasks_title_index.sql failed (SQLState 42704, line 2): ERROR: index \"no_such_idx\""
                + " does not exist; it is non-transactional, so statements before the failing one stay"
                + " undone; the database is at revision 3");
    assertReadsWell(asTheOperatorShowsIt("Undo", "3", "2", report));
  }

  @Test
  void refusalsWithoutARevisionGetTheOperatorsSentenceOnce() throws Exception {
    Path chain = copyOfChain();
    Files.delete(chain.resolve("U2__create_tasks.sql"));
    assertThat(run("migrate", "--location", chain.toString()).exit()).isZero();
    Run run = run("undo", "--target", "0", "--location", chain.toString());
    JsonNode report = JSON.readTree(run.report());
    String shown = asTheOperatorShowsIt("Undo", "5", "0", report);
    assertThat(shown).endsWith("; nothing was changed. The database is at revision 5.");
    assertReadsWell(shown);
  }

  @Test
  void connectionFailureEmbedsWithoutADoublePeriod() throws Exception {
    var env = env();
    env.put("PGPORT", String.valueOf(closedPort()));
    Run run = run(env, "migrate");
    assertThat(run.exit()).isEqualTo(4);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("message").asText()).doesNotEndWith(".");
    assertReadsWell(asTheOperatorShowsIt("Migration", "2", "5", report));
  }
}
