package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.migrate.PostgresTestSupport.Run;
import io.tidemark.migrate.testing.TestCertificates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner over verified TLS, against a real PostgreSQL that only accepts TLS, with a CA made in
 * the test: verify-full with the right CA succeeds; with another CA, or reached by a name its
 * certificate does not carry, it fails at once (no retries) with a message that says what to fix; a
 * client certificate from a kubernetes.io/tls Secret's PEM files (PKCS#8 or PKCS#1 RSA key) logs in
 * a user that has no password; a file that is not mounted is named.
 */
class TlsTest {
  static final String USER = "app";
  static final String PASSWORD = "Tr0ub4dor&3-tls";
  static final String CERT_USER = "certuser";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static EmbeddedPostgres postgres;
  static TestCertificates ca;
  static TestCertificates otherCa;
  static TestCertificates.Issued client;

  @BeforeAll
  static void startPostgresWithTls() throws Exception {
    ca = TestCertificates.newCa(dir, "tidemark");
    otherCa = TestCertificates.newCa(dir, "other");
    // The server's certificate names localhost only: 127.0.0.1 is a name it does not carry.
    TestCertificates.Issued server = ca.issue("server", "localhost", "dns:localhost");
    client = ca.issue("client", CERT_USER);
    Path hba =
        PostgresTestSupport.writeHba(
            dir,
            "hostssl all " + CERT_USER + " 127.0.0.1/32 cert",
            "hostssl all all 127.0.0.1/32 scram-sha-256",
            "hostnossl all all 0.0.0.0/0 reject",
            "hostnossl all all ::/0 reject");
    postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("hba_file", hba.toString())
            .setServerConfig("ssl", "on")
            .setServerConfig("ssl_cert_file", server.cert().toString())
            .setServerConfig("ssl_key_file", server.pkcs8Key().toString())
            .setServerConfig("ssl_ca_file", ca.caCert.toString())
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
      s.execute("CREATE ROLE " + CERT_USER + " LOGIN");
      s.execute("CREATE DATABASE tls OWNER " + USER);
      s.execute("GRANT CONNECT ON DATABASE tls TO " + CERT_USER);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  Map<String, String> env(String host, String sslMode, Path rootCert) {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", host);
    env.put("PGPORT", String.valueOf(postgres.getPort()));
    env.put("PGDATABASE", "tls");
    env.put("PGUSER", USER);
    env.put("PGPASSWORD", PASSWORD);
    env.put("PGSSLMODE", sslMode);
    if (rootCert != null) {
      env.put("PGSSLROOTCERT", rootCert.toString());
    }
    return env;
  }

  @Test
  void verifyFullWithTheRightCaMigrates() throws Exception {
    Run run = run(env("localhost", "verify-full", ca.caCert), "migrate", "--target", "2");
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(report(run).get("current").asText()).isEqualTo("2");
    // Encrypted, necessarily: pg_hba.conf rejects every connection without TLS.
    Run info = run(env("localhost", "verify-full", ca.caCert), "info");
    assertThat(info.exit()).as(info.all()).isZero();
  }

  @Test
  void anotherCaFailsAtOnceSayingWhichCaIsWrong() throws Exception {
    Run run = run(env("localhost", "verify-full", otherCa.caCert), "info");
    assertThat(run.exit()).isEqualTo(4);
    JsonNode report = report(run);
    assertThat(report.get("reason").asText()).isEqualTo("TlsVerificationFailed");
    assertThat(report.get("message").asText())
        .startsWith("TLS failed (postgresql://app@localhost:")
        .contains("the server's certificate is not signed by the CA in PGSSLROOTCERT");
    assertThat(run.err()).as("not retried").doesNotContain("retry 1 of");
    // verify-ca checks the same CA.
    Run verifyCa = run(env("localhost", "verify-ca", otherCa.caCert), "info");
    assertThat(report(verifyCa).get("reason").asText()).isEqualTo("TlsVerificationFailed");
  }

  @Test
  void aHostNameTheCertificateDoesNotCarryFailsVerifyFullButNotVerifyCa() throws Exception {
    Run full = run(env("127.0.0.1", "verify-full", ca.caCert), "info");
    assertThat(full.exit()).isEqualTo(4);
    JsonNode report = report(full);
    assertThat(report.get("reason").asText()).isEqualTo("TlsVerificationFailed");
    assertThat(report.get("message").asText())
        .contains("the server's certificate does not name the host it was reached by");

    Run caOnly = run(env("127.0.0.1", "verify-ca", ca.caCert), "info");
    assertThat(caOnly.exit()).as(caOnly.all()).isZero();
  }

  @Test
  void aClientCertificateLogsInAUserWithoutPasswordFromPkcs8OrPkcs1Pem() throws Exception {
    for (Path key : List.of(client.pkcs8Key(), client.pkcs1Key())) {
      Map<String, String> env = env("localhost", "verify-full", ca.caCert);
      env.put("PGUSER", CERT_USER);
      env.remove("PGPASSWORD");
      env.put("PGSSLCERT", client.cert().toString());
      env.put("PGSSLKEY", key.toString());
      Run run = run(env, "info");
      assertThat(run.exit()).as(key + ": " + run.all()).isZero();
    }
  }

  @Test
  void aFileThatIsNotMountedIsNamedAndNothingConnects() throws Exception {
    Run run = run(env("localhost", "verify-full", dir.resolve("missing/ca.crt")), "info");
    assertThat(run.exit()).isEqualTo(4);
    JsonNode report = report(run);
    assertThat(report.get("reason").asText()).isEqualTo("TlsFileMissing");
    assertThat(report.get("message").asText())
        .contains(
            "PGSSLROOTCERT names " + dir.resolve("missing/ca.crt") + ", which does not exist");

    Map<String, String> halfClient = env("localhost", "verify-full", ca.caCert);
    halfClient.put("PGSSLCERT", client.cert().toString());
    Run half = run(halfClient, "info");
    assertThat(report(half).get("message").asText())
        .isEqualTo("a client certificate needs both PGSSLCERT and PGSSLKEY; only PGSSLCERT is set");
  }

  @Test
  void aKeyOfAnotherKindIsRefusedWithHowToConvertIt() throws Exception {
    Path ec = dir.resolve("ec.key");
    Files.writeString(
        ec, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
    Map<String, String> env = env("localhost", "verify-full", ca.caCert);
    env.put("PGSSLCERT", client.cert().toString());
    env.put("PGSSLKEY", ec.toString());
    Run run = run(env, "info");
    assertThat(run.exit()).isEqualTo(4);
    assertThat(report(run).get("message").asText())
        .contains("openssl pkcs8 -topk8 -nocrypt")
        .contains("is PEM labelled \"EC PRIVATE KEY\"")
        .contains("privateKey.encoding: PKCS8");
  }

  @Test
  void withoutTlsTheServerRefusesAndThePasswordNeverShows() throws Exception {
    Run run = run(env("localhost", "disable", null), "info");
    assertThat(run.exit()).isEqualTo(4);
    assertThat(run.all()).doesNotContain(PASSWORD);
  }

  static JsonNode report(Run run) throws Exception {
    return JSON.readTree(run.report());
  }

  static Run run(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of("--location", PostgresTestSupport.CHAIN.toString(), "--connect-retries", "2"));
    return PostgresTestSupport.runIn(dir, env, all, millis -> {});
  }
}
