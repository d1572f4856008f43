package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** After the connection is lost part-way, the report says what the database really holds. */
class CrashTruthTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aConnectionLostAfterOneRevisionCommittedReportsThatRevision() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);",
                "V2__killed.sql",
                    "CREATE TABLE b (id int);\nSELECT pg_terminate_backend(pg_backend_pid());",
                "V3__c.sql", "CREATE TABLE c (id int);"));

    Run run = run("migrate", "--location", chain.toString());

    JsonNode report = JSON.readTree(run.report());
    assertThat(history()).containsExactly("1");
    assertThat(report.get("current").asText()).isEqualTo("1");
    assertThat(report.get("failed").asText()).isEqualTo("2");
    assertThat(report.get("revisions")).extracting(JsonNode::asText).containsExactly("1");
  }

  @Test
  void whenTheDatabaseCannotBeReadAfterTheFailureTheReportSaysSoInsteadOfGuessing()
      throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);",
                "V2__slow.sql", "CREATE TABLE b (id int);\nSELECT pg_sleep(60);",
                "V3__c.sql", "CREATE TABLE c (id int);"));
    // While V2 runs, the database stops taking connections and V2's session is killed: the
    // runner's fresh read afterwards cannot succeed.
    Thread fault =
        new Thread(
            () -> {
              try {
                // The runner runs in the test's thread: wait for its session as long as it takes.
                int pid = awaitSession("pg_sleep(60)", () -> true);
                execAdmin("postgres", "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                execAdmin("postgres", "SELECT pg_terminate_backend(" + pid + ")");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    fault.start();
    Run run;
    try {
      run = run("migrate", "--location", chain.toString());
    } finally {
      fault.join();
      execAdmin("postgres", "ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }

    JsonNode report = JSON.readTree(run.report());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(report.has("current")).as(run.report()).isFalse();
    assertThat(report.get("failed").asText()).isEqualTo("2");
    assertThat(report.get("message").asText())
        .contains("the revision the database is at could not be read afterwards")
        .doesNotContain("the database is at revision");
    assertThat(history()).containsExactly("1");
  }
}
