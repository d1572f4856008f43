package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted (a fast shutdown, then started again on the same data) while the runner, in
 * its own JVM, is in the middle of a transactional revision and of a CREATE INDEX CONCURRENTLY: the
 * report never claims a revision that did not commit, the history is the database's, and the next
 * run (clearing what the index build left) goes on.
 */
class ServerRestartTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path dataDir;
  private static int port;

  /** This class's own server, on a data folder that survives a restart. */
  @BeforeAll
  static void ownServer() throws Exception {
    postgres.close();
    dataDir = Files.createTempDirectory("tidemark-restart").resolve("data");
    postgres = server().start();
    port = postgres.getPort();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
    }
  }

  private static EmbeddedPostgres.Builder server() {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setServerConfig("hba_file", hbaDir.resolve("pg_hba.conf").toString())
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false);
    return port == 0 ? builder : builder.setPort(port);
  }

  private static void restart() throws IOException {
    postgres.close();
    postgres = server().start();
  }

  @Test
  void restartedDuringATransactionalRevisionTheRevisionIsNotClaimedAndTheRetryGoesOn()
      throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);\nCREATE TABLE hold ();",
                "V2__b.sql",
                    "CREATE TABLE b (id int);\n"
                        + "SELECT pg_sleep(CASE WHEN to_regclass('hold') IS NULL THEN 0 ELSE 120 END);",
                "V3__c.sql", "CREATE TABLE c (id int);"));
    assertThat(run("migrate", "--location", chain.toString(), "--target", "1").exit()).isZero();

    Path report = tmp.resolve("restart-report.json");
    Process runner =
        runnerProcess("migrate", "--location", chain.toString(), "--report", report.toString());
    awaitSession("pg_sleep", runner);
    restart();
    assertThat(runner.waitFor(120, TimeUnit.SECONDS))
        .as("the runner ends after the restart")
        .isTrue();

    assertThat(runner.exitValue()).isNotZero();
    JsonNode failed = JSON.readTree(Files.readString(report));
    assertThat(failed.get("ok").asBoolean()).isFalse();
    if (failed.has("current")) {
      assertThat(failed.get("current").asText())
          .as("never a revision that did not commit")
          .isEqualTo("1");
    }
    assertThat(history()).containsExactly("1");
    assertThat(query("SELECT count(*) FROM pg_tables WHERE tablename = 'b'")).containsExactly("0");

    exec("DROP TABLE hold");
    Run retry = run("migrate", "--location", chain.toString());
    assertThat(retry.exit()).as(retry.all()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
  }

  @Test
  void restartedDuringAnUndoTheRevisionStaysAppliedAndTheUndoCanRunAgain() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);",
                "V2__b.sql", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);",
                "U2__b.sql",
                    "DROP TABLE b;\n"
                        + "SELECT pg_sleep(CASE WHEN to_regclass('hold') IS NULL THEN 0 ELSE 120 END);"));
    assertThat(run("migrate", "--location", chain.toString()).exit()).isZero();
    exec("CREATE TABLE hold ()");

    Path report = tmp.resolve("undo-report.json");
    Process runner =
        runnerProcess(
            "undo", "--location", chain.toString(), "--target", "1", "--report", report.toString());
    awaitSession("pg_sleep", runner);
    restart();
    assertThat(runner.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(runner.exitValue()).isNotZero();
    JsonNode failed = JSON.readTree(Files.readString(report));
    if (failed.has("current")) {
      assertThat(failed.get("current").asText()).as("the undo did not commit").isEqualTo("2");
    }
    assertThat(history()).containsExactly("1", "2");
    assertThat(query("SELECT count(*) FROM b")).containsExactly("1");
    exec("DROP TABLE hold");
    Run retry = run("undo", "--location", chain.toString(), "--target", "1");
    assertThat(retry.exit()).as(retry.all()).isZero();
    assertThat(history()).containsExactly("1");
  }

  @Test
  void restartedDuringAConcurrentIndexBuildTheInvalidIndexIsNamedAndCleared() throws Exception {
    Path chain = chain(CONCURRENT_INDEX_CHAIN);
    assertThat(run("migrate", "--location", chain.toString(), "--target", "1").exit()).isZero();

    Process runner;
    try (Connection writer = admin();
        Statement s = writer.createStatement()) {
      // A writer's open transaction keeps the index build waiting; the restart ends both.
      writer.setAutoCommit(false);
      s.execute("INSERT INTO tasks VALUES (1, 'in flight')");
      runner =
          runnerProcess(
              "migrate",
              "--location",
              chain.toString(),
              "--lock-timeout",
              "0",
              "--report",
              tmp.resolve("cic-report.json").toString());
      awaitSession("CREATE INDEX CONCURRENTLY", runner);
      restart();
    }
    assertThat(runner.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.exitValue()).isNotZero();

    assertThat(query("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).containsExactly("1");
    Run plan = run("plan", "--location", chain.toString());
    assertThat(plan.all()).contains("public.tasks_title");
    Run cleared = run("migrate", "--location", chain.toString(), "--clear-failed", "2");
    assertThat(cleared.exit()).as(cleared.all()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
    assertThat(query("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).containsExactly("0");
  }
}
