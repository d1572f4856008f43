package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code wait --revision N} on a real PostgreSQL: what an application's init container runs. It
 * ends once the history table says N or later (also while another session migrates), times out with
 * exit 6 and a message saying what it saw, waits through an unreachable server, needs no scripts
 * for a numbered revision, and changes nothing.
 */
class WaitTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aDatabaseAtOrPastTheRevisionEndsTheWaitAtOnceAndNothingChanges() throws Exception {
    assertThat(run("migrate", "--target", "3").exit()).isZero();
    List<String> before = history();

    Run wait = run("wait", "--revision", "2");
    assertThat(wait.exit()).as(wait.err()).isZero();
    JsonNode report = JSON.readTree(wait.report());
    assertThat(report.get("command").asText()).isEqualTo("wait");
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("current").asText()).isEqualTo("3");
    assertThat(report.get("target").asText()).isEqualTo("2");
    assertThat(wait.out()).contains("At revision 3 (waited for 2).");
    assertThat(history()).isEqualTo(before);
  }

  @Test
  void aNumberedRevisionNeedsNoScripts() throws Exception {
    assertThat(run("migrate", "--target", "2").exit()).isZero();
    Path empty = Files.createDirectories(tmp.resolve("no-migrations-here"));
    Run wait = run("wait", "--revision", "2", "--location", empty.toString());
    assertThat(wait.exit()).as(wait.err()).isZero();
  }

  @Test
  void latestIsTheNewestRevisionOfTheImage() throws Exception {
    Run early = run("wait", "--revision", "latest", "--timeout", "200ms");
    assertThat(early.exit()).isEqualTo(6);
    assertThat(JSON.readTree(early.report()).get("target").asText()).isEqualTo("5");

    assertThat(run("migrate").exit()).isZero();
    Run wait = run("wait", "--revision", "latest");
    assertThat(wait.exit()).as(wait.err()).isZero();
    assertThat(JSON.readTree(wait.report()).get("current").asText()).isEqualTo("5");
  }

  @Test
  void theWaitEndsWhenAnotherSessionMigrates() throws Exception {
    assertThat(run("migrate", "--target", "1").exit()).isZero();
    CountDownLatch firstPause = new CountDownLatch(1);
    CompletableFuture<Run> waiting =
        CompletableFuture.supplyAsync(() -> runWithPauses(firstPause, "wait", "--revision", "4"));
    // The wait pauses only after a check that saw the database below 4.
    assertThat(firstPause.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(waiting).isNotDone();
    assertThat(run("migrate", "--target", "4").exit()).isZero();
    Run wait = waiting.get(60, TimeUnit.SECONDS);
    assertThat(wait.exit()).as(wait.err()).isZero();
    assertThat(JSON.readTree(wait.report()).get("current").asText()).isEqualTo("4");
  }

  @Test
  void theTimeoutEndsTheWaitWithExit6AndWhatItSaw() throws Exception {
    assertThat(run("migrate", "--target", "1").exit()).isZero();
    Run wait = run("wait", "--revision", "4", "--timeout", "300ms");
    assertThat(wait.exit()).isEqualTo(6);
    JsonNode report = JSON.readTree(wait.report());
    assertThat(report.get("reason").asText()).isEqualTo("WaitTimedOut");
    assertThat(report.get("current").asText()).isEqualTo("1");
    assertThat(report.get("message").asText())
        .startsWith("gave up waiting for revision 4 after 300ms (")
        .contains("the database is at revision 1; is the DatabaseSchema that migrates it Ready?");
    assertThat(wait.err()).contains("tidemark: error: gave up waiting for revision 4");
  }

  @Test
  void anUnreachableServerIsWaitedForUntilTheTimeoutAndThePasswordNeverShows() throws Exception {
    Map<String, String> env = env();
    env.put("PGPORT", String.valueOf(closedPort()));
    Run wait = run(env, "wait", "--revision", "1", "--timeout", "300ms");
    assertThat(wait.exit()).isEqualTo(6);
    JsonNode report = JSON.readTree(wait.report());
    assertThat(report.has("current")).as("nothing was read").isFalse();
    assertThat(report.get("message").asText()).contains("cannot connect");
    assertThat(wait.all()).doesNotContain(PASSWORD);
  }

  @Test
  void badArgumentsAreRefusedBeforeConnecting() throws Exception {
    Map<String, String> env = env();
    env.put("PGPORT", String.valueOf(closedPort()));
    for (List<String> args :
        List.of(
            List.of("wait"),
            List.of("wait", "--revision", "seven"),
            List.of("wait", "--revision", "3", "--timeout", "10"),
            List.of("wait", "--revision", "3", "--target", "3"))) {
      Run wait = run(env, args.toArray(String[]::new));
      assertThat(wait.exit()).as(args.toString()).isEqualTo(3);
      assertThat(JSON.readTree(wait.report()).get("reason").asText()).isEqualTo("InvalidArgument");
    }
  }

  /** As {@link #run}, with real pauses of 20 ms between checks, the first one counted down. */
  private Run runWithPauses(CountDownLatch firstPause, String... args) {
    return runIn(
        tmp,
        env(),
        List.of(args),
        millis -> {
          firstPause.countDown();
          Thread.sleep(20);
        });
  }
}
