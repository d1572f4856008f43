package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.tidemark.local.LocalPostgres;
import io.tidemark.migrate.testing.TestCertificates;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.CaSource;
import io.tidemark.operator.model.ClusterRef;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseTls;
import io.tidemark.operator.model.KeySelector;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.database.tls end to end: the operator mounts the CA Secret into every Job, the runner (JDBC)
 * and pg_dump (libpq) verify the server with it, against a PostgreSQL whose role for these tests
 * may only connect over TLS, with a CA made in the test. The right CA migrates with a backup; a CA
 * that did not sign the server fails with TlsVerificationFailed and changes nothing; a CA Secret
 * that does not exist yet is waited for (TlsFileMissing, retried) and the flow goes on once it is
 * created.
 */
class TlsIT extends E2eTestBase {
  static final String TLS_USER = "tlsapp";

  @TempDir static Path certs;
  static TestCertificates ca;
  static TestCertificates otherCa;

  @BeforeAll
  static void serverWithTls() throws Exception {
    ca = TestCertificates.newCa(certs, "tidemark");
    otherCa = TestCertificates.newCa(certs, "other");
    // The server's certificate names localhost and the Service a CloudNativePG cluster todo-pg
    // has (todo-pg-rw), as CloudNativePG's own certificates name theirs.
    TestCertificates.Issued server =
        ca.issue("server", "localhost", "dns:localhost", "dns:" + CLUSTER_SERVICE);
    try (Connection c = cluster.connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("ALTER SYSTEM SET ssl_cert_file = '" + server.cert() + "'");
      s.execute("ALTER SYSTEM SET ssl_key_file = '" + server.pkcs8Key() + "'");
      s.execute("ALTER SYSTEM SET ssl = on");
      Path hba = LocalPostgres.hbaFile(s);
      // The TLS tests' role is refused without TLS: whatever connects as it, encrypts.
      Files.writeString(
          hba,
          "hostnossl all "
              + TLS_USER
              + " 0.0.0.0/0 reject\nhostnossl all "
              + TLS_USER
              + " ::/0 reject\n"
              + Files.readString(hba));
      s.execute("SELECT pg_reload_conf()");
    }
  }

  static String namespaceWithTlsCredentials() {
    String ns = newNamespaceWithDatabase();
    cluster.createDatabase(ns + "_tls", TLS_USER, PASSWORD);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("tls-creds")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("username", TLS_USER, "password", PASSWORD))
                .build())
        .create();
    return ns;
  }

  static void caSecret(String ns, String name, Path caCert) throws Exception {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("ca.crt", Files.readString(caCert)))
                .build())
        .create();
  }

  static DatabaseSchema verifyFull(String ns, String caSecret) {
    DatabaseSchema r = schema(ns, "todo", TODO_IMAGE, "4");
    DatabaseRef db = r.getSpec().getDatabase();
    db.setName(ns + "_tls");
    db.setCredentialsSecret("tls-creds");
    db.setSslMode(DatabaseRef.SslMode.verifyFull);
    DatabaseTls tls = new DatabaseTls();
    CaSource source = new CaSource();
    source.setSecret(new KeySelector(caSecret, "ca.crt"));
    tls.setCa(source);
    db.setTls(tls);
    return r;
  }

  @Test
  void theRightCaMigratesWithABackupOverVerifiedTls() throws Exception {
    String ns = namespaceWithTlsCredentials();
    caSecret(ns, "db-ca", ca.caCert);
    create(verifyFull(ns, "db-ca"));

    DatabaseSchema ready = awaitReadyAt(ns, "todo", "4");
    assertThat(appliedVersions(ns + "_tls")).containsExactly("1", "2", "3", "4");
    assertThat(ready.getStatus().getLastBackup().getFile()).isNotBlank();
    assertThat(Files.size(backupFolder(ns).resolve(ready.getStatus().getLastBackup().getFile())))
        .as("pg_dump (libpq) verified the server with the same mounted CA")
        .isPositive();
  }

  @Test
  void aCaThatDidNotSignTheServerFailsAndNothingRuns() throws Exception {
    String ns = namespaceWithTlsCredentials();
    caSecret(ns, "db-ca", otherCa.caCert);
    create(verifyFull(ns, "db-ca"));

    DatabaseSchema failed = awaitPhase(ns, "todo", Phase.Failed);
    assertThat(failed.getStatus().getLastFailure().getReason()).isEqualTo("TlsVerificationFailed");
    assertThat(failed.getStatus().getLastFailure().getMessage())
        .contains("the server's certificate is not signed by the CA in PGSSLROOTCERT");
    assertThat(failed.getStatus().getLastFailure().getTransientFailure())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(tables(ns + "_tls")).isEmpty();
    assertThat(failed.getStatus().toString()).doesNotContain(PASSWORD);
  }

  /**
   * spec.database.cluster: the name alone leads the Jobs to the Service todo-pg-rw, the Secret
   * todo-pg-app and the CA in todo-pg-ca (of which only ca.crt is mounted), verifying the server
   * fully. Backups are off here: pg_dump resolves names with the system's resolver, which does not
   * know the Service (the runner's JVM is given a hosts file that does).
   */
  @Test
  void aCloudNativePgClusterIsReachedByItsServiceWithItsSecretsVerifyingFully() throws Exception {
    String ns = namespaceWithTlsCredentials();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("todo-pg-app")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("username", TLS_USER, "password", PASSWORD))
                .build())
        .create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("todo-pg-ca")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "ca.crt", Files.readString(ca.caCert), "ca.key", "never mounted anywhere"))
                .build())
        .create();
    DatabaseSchema r = schema(ns, "todo", TODO_IMAGE, "4");
    DatabaseRef db = new DatabaseRef();
    ClusterRef cluster = new ClusterRef();
    cluster.setName("todo-pg");
    db.setCluster(cluster);
    db.setName(ns + "_tls");
    db.setPort(E2eTestBase.cluster.postgresPort());
    r.getSpec().setDatabase(db);
    r.getSpec().getBackup().setEnabled(false);
    create(r);

    awaitReadyAt(ns, "todo", "4");
    assertThat(appliedVersions(ns + "_tls")).containsExactly("1", "2", "3", "4");
    var pod = jobs(ns, Step.CHANGE).get(0).getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getEnv())
        .anySatisfy(
            e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("PGHOST=todo-pg-rw"))
        .anySatisfy(
            e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("PGSSLMODE=verify-full"));
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("todo-pg-ca");
              assertThat(v.getSecret().getItems()).extracting("key").containsExactly("ca.crt");
            });
  }

  @Test
  void aCaSecretThatIsNotThereYetIsWaitedForThenUsed() throws Exception {
    String ns = namespaceWithTlsCredentials();
    create(verifyFull(ns, "db-ca-later"));

    DatabaseSchema waiting =
        awaitStatus(
            ns,
            "todo",
            r ->
                r.getStatus().getLastFailure() != null
                    && "TlsFileMissing".equals(r.getStatus().getLastFailure().getReason()));
    assertThat(waiting.getStatus().getLastFailure().getTransientFailure()).isTrue();
    assertThat(waiting.getStatus().getLastFailure().getMessage())
        .contains("PGSSLROOTCERT names ")
        .contains("ca.crt, which does not exist");

    caSecret(ns, "db-ca-later", ca.caCert);
    awaitReadyAt(ns, "todo", "4");
    assertThat(appliedVersions(ns + "_tls")).containsExactly("1", "2", "3", "4");
  }
}
