package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void unreachableHostIsExit4ConnectionFailed() throws Exception {
    Map<String, String> env = env();
    env.put("PGPORT", String.valueOf(closedPort()));
    Run run = run(env, "migrate");
    assertThat(run.exit()).isEqualTo(4);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("reason").asText()).isEqualTo("ConnectionFailed");
    assertThat(report.get("message").asText()).contains("cannot connect");
    assertThat(run.all()).doesNotContain(PASSWORD);
  }

  @Test
  void wrongPasswordIsExit4AuthenticationFailedAndNeverPrinted() throws Exception {
    Map<String, String> env = env();
    String wrong = "n0t-the-Right-0ne";
    env.put("PGPASSWORD", wrong);
    Run run = run(env, "migrate");
    assertThat(run.exit()).isEqualTo(4);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("reason").asText()).isEqualTo("AuthenticationFailed");
    assertThat(run.err()).contains("authentication failed").contains("app");
    assertThat(run.all()).doesNotContain(wrong);
    assertThat(history()).isEmpty();
  }

  @Test
  void missingDatabaseIsExit4DatabaseNotFound() throws Exception {
    Map<String, String> env = env();
    env.put("PGDATABASE", "no_such_db");
    Run run = run(env, "info");
    assertThat(run.exit()).isEqualTo(4);
    assertThat(JSON.readTree(run.report()).get("reason").asText()).isEqualTo("DatabaseNotFound");
  }

  @Test
  void retriesAreReportedOnStderr() throws Exception {
    Map<String, String> env = env();
    env.put("PGPORT", String.valueOf(closedPort()));
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of("info", "--location", CHAIN.toString(), "--connect-retries", "2"));
    var err = new java.io.ByteArrayOutputStream();
    java.util.List<Long> sleeps = new java.util.ArrayList<>();
    int exit =
        Main.run(
            args,
            env,
            new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
            sleeps::add);
    assertThat(exit).isEqualTo(4);
    assertThat(sleeps).containsExactly(1000L, 2000L);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("retry 1 of 2")
        .contains("retry 2 of 2");
  }

  @Test
  void urlWithPasswordWorksAndThePasswordIsRedactedEverywhere() throws Exception {
    String url =
        "jdbc:postgresql://localhost:"
            + postgres.getPort()
            + "/"
            + database
            + "?sslmode=disable&user="
            + USER
            + "&password="
            + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
    Map<String, String> env = Map.of();
    Run ok = run(env, "migrate", "--url", url, "--target", "1");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(history()).containsExactly("1");

    // A failing run whose messages would carry the URL: still no password anywhere.
    Run failing = run(env, "migrate", "--url", url.replace("/" + database, "/nope"));
    assertThat(failing.exit()).isEqualTo(4);
    assertThat(failing.all())
        .doesNotContain(PASSWORD)
        .doesNotContain(URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8));
  }

  @Test
  void passwordOptionIsNeverPrintedEvenInAFailingMigration() throws Exception {
    Map<String, String> env = env();
    env.remove("PGPASSWORD");
    String url =
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database + "?sslmode=disable";
    java.nio.file.Path chain = tmp.resolve("leaky");
    java.nio.file.Files.createDirectories(chain);
    // A script that fails with the password in the error text.
    java.nio.file.Files.writeString(
        chain.resolve("V1__leak.sql"), "SELECT * FROM \"" + PASSWORD + "\";");
    Run run =
        run(
            env,
            "migrate",
            "--url",
            url,
            "--user",
            USER,
            "--password",
            PASSWORD,
            "--location",
            chain.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.all()).doesNotContain(PASSWORD).contains(Redactor.MASK);
  }
}
