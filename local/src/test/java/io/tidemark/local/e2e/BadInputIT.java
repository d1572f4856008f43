package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.JobTemplateSpec;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.WorkloadRef;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid and hostile input: each case gets a clear condition and Event, and no migration (nor
 * backup) runs; the database is left exactly as it was. The API server's schema rejects most of
 * these first (see CrdSchemaValidationTest); the mock server does not validate, so these show that
 * the operator refuses them too.
 */
class BadInputIT extends E2eTestBase {

  /**
   * A bad spec: what it does to the resource (and its namespace), the reason, and words of the
   * message.
   */
  record Case(
      String name,
      BiConsumer<String, DatabaseSchema> breakIt,
      String reason,
      String messageContains) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case(
                "missing host",
                (ns, r) -> r.getSpec().getDatabase().setHost(null),
                "InvalidSpec",
                "spec.database.host is required"),
            new Case(
                "host with a shell command",
                (ns, r) -> r.getSpec().getDatabase().setHost("db.example.com; rm -rf /"),
                "InvalidSpec",
                "spec.database.host"),
            new Case(
                "database name injecting SQL",
                (ns, r) -> r.getSpec().getDatabase().setName("todo\"; DROP DATABASE postgres; --"),
                "InvalidSpec",
                "spec.database.name"),
            new Case(
                "database name with $$ that Kubernetes would rewrite",
                (ns, r) -> r.getSpec().getDatabase().setName("todo$$prod"),
                "InvalidSpec",
                "spec.database.name"),
            new Case(
                "resource name too long for a label",
                (ns, r) -> r.getMetadata().setName("x".repeat(70)),
                "InvalidSpec",
                "metadata.name is longer than 63"),
            new Case(
                "credentials Secret path traversal",
                (ns, r) ->
                    r.getSpec().getDatabase().setCredentialsSecret("../../kube-system/admin"),
                "InvalidSpec",
                "spec.database.credentialsSecret"),
            new Case(
                "missing migrations",
                (ns, r) -> r.getSpec().setMigrations(null),
                "InvalidSpec",
                "spec.migrations is missing"),
            new Case(
                "image with backticks",
                (ns, r) -> r.getSpec().getMigrations().setImage("registry.example.com/x:`id`"),
                "InvalidSpec",
                "spec.migrations.image"),
            new Case(
                "path traversal",
                (ns, r) -> r.getSpec().getMigrations().setPath("/migrations/../../etc"),
                "InvalidSpec",
                "spec.migrations.path"),
            new Case(
                "revision injecting SQL",
                (ns, r) -> r.getSpec().setTargetRevision("1; DROP TABLE users"),
                "InvalidSpec",
                "spec.targetRevision"),
            new Case(
                "revision injecting shell",
                (ns, r) -> r.getSpec().setTargetRevision("$(rm -rf /)"),
                "InvalidSpec",
                "spec.targetRevision"),
            new Case(
                "lock timeout injecting SQL",
                (ns, r) -> r.getSpec().getMigrations().setLockTimeout("10s; DROP TABLE users"),
                "InvalidSpec",
                "spec.migrations.lockTimeout"),
            new Case(
                "backup without a volume claim",
                (ns, r) -> r.getSpec().getBackup().setVolumeClaim(null),
                "InvalidSpec",
                "spec.backup.volumeClaim is required"),
            new Case(
                "port out of range",
                (ns, r) -> r.getSpec().getDatabase().setPort(70000),
                "InvalidSpec",
                "spec.database.port"),
            new Case(
                "restore without backups",
                (ns, r) -> {
                  r.getSpec().getBackup().setEnabled(false);
                  r.getSpec().setRollback(rollback(RollbackSpec.RollbackStrategy.Restore, "15m"));
                },
                "InvalidSpec",
                "strategy Restore needs backups"),
            new Case(
                "rollback window not a duration",
                (ns, r) ->
                    r.getSpec()
                        .setRollback(rollback(RollbackSpec.RollbackStrategy.Undo, "forever")),
                "InvalidSpec",
                "window"),
            new Case(
                "negative backoff limit",
                (ns, r) -> {
                  JobTemplateSpec t = new JobTemplateSpec();
                  t.setBackoffLimit(-1);
                  r.getSpec().setJobTemplate(t);
                },
                "InvalidSpec",
                "backoffLimit"),
            new Case(
                "unknown revision",
                (ns, r) -> r.getSpec().setTargetRevision("99"),
                "UnknownRevision",
                "99"),
            new Case(
                "Secret without the password key",
                (ns, r) -> replaceCredentials(ns, Map.of("username", USER)),
                "CredentialsUnavailable",
                "password"),
            new Case(
                "Secret missing",
                (ns, r) -> r.getSpec().getDatabase().setCredentialsSecret("no-such-secret"),
                "CredentialsUnavailable",
                "no-such-secret"),
            new Case(
                "image that cannot be pulled",
                (ns, r) -> r.getSpec().getMigrations().setImage("registry.example.com/nope:1"),
                "ImagePullFailed",
                "registry.example.com/nope:1"),
            new Case(
                "wrong password",
                (ns, r) ->
                    replaceCredentials(
                        ns, Map.of("username", USER, "password", "not-the-password")),
                "AuthenticationFailed",
                "password"),
            new Case(
                "database that does not exist",
                (ns, r) -> r.getSpec().getDatabase().setName("no_such_database"),
                "DatabaseNotFound",
                "no_such_database"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithAClearConditionAndNothingRuns(Case c) throws Exception {
    String ns = newNamespaceWithDatabase();
    DatabaseSchema r = schema(ns, "shop", FIXED_IMAGE, "latest");
    c.breakIt().accept(ns, r);
    create(r);
    String name = r.getMetadata().getName();

    DatabaseSchema refused =
        awaitStatus(
            ns,
            name,
            x ->
                x.getStatus().getPhase() == Phase.Failed
                    && condition(x, "Degraded")
                        .map(d -> "True".equals(d.getStatus()))
                        .orElse(false));

    assertThat(condition(refused, "Degraded"))
        .get()
        .satisfies(
            d -> {
              assertThat(d.getReason()).isEqualTo(c.reason());
              assertThat(d.getMessage()).contains(c.messageContains());
            });
    assertThat(condition(refused, "Ready")).get().extracting("status").isEqualTo("False");
    assertThat(eventReasons(ns, name)).contains(c.reason());
    assertThat(jobs(ns, Step.BACKUP)).isEmpty();
    assertThat(jobs(ns, Step.MIGRATE)).isEmpty();
    assertThat(jobs(ns, Step.UNDO)).isEmpty();
    assertThat(tables(ns)).isEmpty();
    assertThat(Serialization.asJson(refused.getStatus())).doesNotContain(PASSWORD);
    if ("InvalidSpec".equals(c.reason())) {
      assertThat(allJobs(ns)).as("an invalid spec starts no Job at all").isEmpty();
    }
  }

  @Test
  void aDowngradeWithoutUndoScriptsIsRefusedBeforeAnythingChanges() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", NO_UNDO_IMAGE, "latest"));
    awaitReadyAt(ns, "shop", "3");
    List<String> before = ordersColumns(ns);
    int backups = jobs(ns, Step.BACKUP).size();

    edit(ns, "shop", x -> downgrade(x, "1"));
    DatabaseSchema refused = awaitPhase(ns, "shop", Phase.Failed);

    assertThat(condition(refused, "Degraded"))
        .get()
        .satisfies(
            d -> {
              assertThat(d.getReason()).isEqualTo("UndoScriptMissing");
              assertThat(d.getMessage()).contains("3");
            });
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(ordersColumns(ns)).isEqualTo(before);
    assertThat(jobs(ns, Step.BACKUP)).hasSize(backups);
    assertThat(jobs(ns, Step.UNDO)).isEmpty();
  }

  /** The credentials Secret replaced by one with exactly these keys. */
  private static void replaceCredentials(String ns, Map<String, String> keys) {
    client.secrets().inNamespace(ns).withName(Manifests.CREDENTIALS_SECRET).delete();
    client.resource(Manifests.credentialsSecret(ns, keys)).create();
  }

  private static List<String> ordersColumns(String ns) throws SQLException {
    return column(
        ns,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' "
            + "ORDER BY column_name");
  }

  private static RollbackSpec rollback(RollbackSpec.RollbackStrategy strategy, String window) {
    return Manifests.rollbackOn(strategy, WorkloadRef.WorkloadKind.Deployment, "shop-api", window);
  }
}
