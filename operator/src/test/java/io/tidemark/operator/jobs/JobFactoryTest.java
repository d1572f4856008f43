package io.tidemark.operator.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tidemark.operator.model.BackupSpec;
import io.tidemark.operator.model.CaSource;
import io.tidemark.operator.model.ClusterRef;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.DatabaseTls;
import io.tidemark.operator.model.JobTemplateSpec;
import io.tidemark.operator.model.KeySelector;
import io.tidemark.operator.model.MigrationsConfigMap;
import io.tidemark.operator.model.MigrationsSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Job Tidemark creates meets the restricted Pod Security profile and gets credentials only by
 * reference.
 */
class JobFactoryTest {
  private final JobFactory factory = new JobFactory(JobSettings.defaults());

  static Stream<String> steps() {
    return Stream.of("plan", "backup", "migrate", "undo", "restore", "change");
  }

  @ParameterizedTest
  @MethodSource("steps")
  void everyJobMeetsTheRestrictedPodSecurityProfile(String step) {
    Job job = build(step, resource(null));
    PodSpec pod = job.getSpec().getTemplate().getSpec();

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getHostNetwork()).isNull();
    assertThat(pod.getHostPID()).isNull();
    assertThat(pod.getContainers()).hasSize(1);
    Container c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    // A read-only root needs somewhere to write.
    assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("tmp");
              assertThat(v.getEmptyDir()).isNotNull();
            });
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
  }

  @ParameterizedTest
  @MethodSource("steps")
  void credentialsComeOnlyThroughSecretKeyRefWithLibpqNames(String step) {
    Job job = build(step, resource(null));
    List<EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    Map<String, EnvVar> byName =
        env.stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));

    assertThat(byName.get("PGHOST").getValue()).isEqualTo("todo-postgres-rw");
    assertThat(byName.get("PGPORT").getValue()).isEqualTo("5432");
    assertThat(byName.get("PGDATABASE").getValue()).isEqualTo("todo");
    assertThat(byName.get("PGSSLMODE").getValue()).isEqualTo("verify-full");
    assertThat(byName.get("PGUSER").getValue()).isNull();
    assertThat(byName.get("PGUSER").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("todo-db");
    assertThat(byName.get("PGUSER").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("user");
    assertThat(byName.get("PGPASSWORD").getValue()).isNull();
    assertThat(byName.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("todo-db");
    assertThat(byName.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("pass");
  }

  @ParameterizedTest
  @MethodSource("steps")
  void everyJobGetsTheTlsFilesMountedReadOnlyAndNamedToLibpq(String step) {
    DatabaseSchema r = resource(null);
    DatabaseTls tls = new DatabaseTls();
    CaSource ca = new CaSource();
    ca.setConfigMap(new KeySelector("todo-ca-bundle", "ca-bundle.crt"));
    tls.setCa(ca);
    tls.setClientCertificateSecret("todo-client-tls");
    r.getSpec().getDatabase().setTls(tls);
    PodSpec pod = build(step, r).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    Map<String, EnvVar> env =
        c.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("PGSSLROOTCERT").getValue()).isEqualTo("/etc/tidemark/tls/ca/ca.crt");
    assertThat(env.get("PGSSLCERT").getValue()).isEqualTo("/etc/tidemark/tls/client/tls.crt");
    assertThat(env.get("PGSSLKEY").getValue()).isEqualTo("/etc/tidemark/tls/client/tls.key");

    Map<String, io.fabric8.kubernetes.api.model.Volume> volumes =
        pod.getVolumes().stream()
            .collect(java.util.stream.Collectors.toMap(v -> v.getName(), v -> v));
    var caVolume = volumes.get("tls-ca").getConfigMap();
    assertThat(caVolume.getName()).isEqualTo("todo-ca-bundle");
    assertThat(caVolume.getOptional()).isTrue();
    assertThat(caVolume.getItems())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getKey()).isEqualTo("ca-bundle.crt");
              assertThat(i.getPath()).isEqualTo("ca.crt");
            });
    var client = volumes.get("tls-client").getSecret();
    assertThat(client.getSecretName()).isEqualTo("todo-client-tls");
    assertThat(client.getItems())
        .extracting(i -> i.getKey() + "->" + i.getPath() + ":" + Integer.toOctalString(i.getMode()))
        .containsExactly("tls.crt->tls.crt:444", "tls.key->tls.key:640");
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().startsWith("/etc/tidemark/tls/"))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
  }

  @ParameterizedTest
  @MethodSource("steps")
  void aCloudNativePgClusterDecidesHostCredentialsAndCaAndVerifiesFully(String step) {
    DatabaseSchema r = resource(null);
    DatabaseRef db = new DatabaseRef();
    ClusterRef cluster = new ClusterRef();
    cluster.setName("todo-postgres");
    db.setCluster(cluster);
    db.setName("todo");
    r.getSpec().setDatabase(db);
    PodSpec pod = build(step, r).getSpec().getTemplate().getSpec();
    Map<String, EnvVar> env =
        pod.getContainers().get(0).getEnv().stream()
            .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("PGHOST").getValue()).isEqualTo("todo-postgres-rw");
    assertThat(env.get("PGSSLMODE").getValue()).isEqualTo("verify-full");
    assertThat(env.get("PGUSER").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("todo-postgres-app");
    assertThat(env.get("PGUSER").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
    assertThat(env.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("password");
    assertThat(env.get("PGSSLROOTCERT").getValue()).isEqualTo("/etc/tidemark/tls/ca/ca.crt");
    assertThat(env).doesNotContainKeys("PGSSLCERT", "PGSSLKEY");
    var ca =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals("tls-ca"))
            .findFirst()
            .orElseThrow()
            .getSecret();
    assertThat(ca.getSecretName()).isEqualTo("todo-postgres-ca");
    // Only the certificate: CloudNativePG's CA Secret also holds the CA's private key.
    assertThat(ca.getItems()).extracting(i -> i.getKey()).containsExactly("ca.crt");
  }

  @Test
  void scriptsFromAConfigMapAreMountedIntoTheBaseRunnerImage() {
    DatabaseSchema r = resource(null);
    r.getSpec().getMigrations().setImage(null);
    r.getSpec().getMigrations().setConfigMap(new MigrationsConfigMap("todo-sql-6t2fh5k5m8"));
    JobFactory withRunner =
        new JobFactory(
            JobSettings.defaults().withRunnerImage("registry.example.com/tidemark-migrate:0.2.0"));
    for (Job job :
        List.of(
            withRunner.planJob(r, "todo-plan-x", Optional.empty(), Optional.empty()),
            withRunner.changeJob(
                r, "todo-migrate-x", Step.MIGRATE, "7", "9", Optional.empty(), Optional.empty()),
            withRunner.changeJob(
                r, "todo-undo-x", Step.UNDO, "9", "7", Optional.empty(), Optional.empty()))) {
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      Container c = pod.getContainers().get(0);
      assertThat(c.getImage()).isEqualTo("registry.example.com/tidemark-migrate:0.2.0");
      var volume =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals("migrations"))
              .findFirst()
              .orElseThrow()
              .getConfigMap();
      assertThat(volume.getName()).isEqualTo("todo-sql-6t2fh5k5m8");
      assertThat(volume.getOptional()).isTrue();
      assertThat(volume.getDefaultMode()).isEqualTo(0444);
      assertThat(c.getVolumeMounts())
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo("migrations");
                assertThat(m.getMountPath()).isEqualTo("/migrations");
                assertThat(m.getReadOnly()).isTrue();
              });
      assertThat(c.getEnv())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("TIDEMARK_MIGRATIONS_SOURCE");
                assertThat(e.getValue()).isEqualTo("ConfigMap todo-sql-6t2fh5k5m8");
              });
      assertThat(c.getArgs()).containsSequence("--location", "/migrations");
    }
    // The backup and restore Jobs run pg_dump and pg_restore: no scripts for them.
    Job backup =
        withRunner.backupJob(r, "todo-backup-x", "postgres:16-alpine", "f.dump", "7", null);
    assertThat(backup.getSpec().getTemplate().getSpec().getVolumes())
        .noneSatisfy(v -> assertThat(v.getName()).isEqualTo("migrations"));
    assertThat(r.getSpec().getMigrations().source()).isEqualTo("configmap/todo-sql-6t2fh5k5m8");
  }

  @Test
  void severalSchemasReachTheRunnerAndTheRestoreTheDefaultIsPublic() {
    DatabaseSchema r = resource(null);
    Job plan = factory.planJob(r, "todo-plan-x", Optional.empty(), Optional.empty());
    assertThat(plan.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .doesNotContain("--schema");
    Job restore = factory.restoreJob(r, "todo-restore-x", "postgres:16-alpine", "f.dump", "9", "7");
    assertThat(restore.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("RESTORE_SCHEMAS");
              assertThat(e.getValue()).isEqualTo("public");
            });

    r.getSpec().setSchemas(List.of("app", "audit"));
    for (Job job :
        List.of(
            factory.planJob(r, "todo-plan-x", Optional.empty(), Optional.empty()),
            factory.changeJob(
                r, "todo-migrate-x", Step.MIGRATE, "7", "9", Optional.empty(), Optional.empty()),
            factory.changeJob(
                r, "todo-undo-x", Step.UNDO, "9", "7", Optional.empty(), Optional.empty()))) {
      assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
          .containsSequence("--schema", "app,audit");
    }
    Job restoreBoth =
        factory.restoreJob(r, "todo-restore-x", "postgres:16-alpine", "f.dump", "9", "7");
    assertThat(restoreBoth.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("RESTORE_SCHEMAS");
              assertThat(e.getValue()).isEqualTo("app audit");
            });
  }

  @Test
  void withoutTlsNoTlsFileIsMountedAndSslModeDefaultsToPrefer() {
    DatabaseSchema r = resource(null);
    r.getSpec().getDatabase().setSslMode(null);
    for (String step : steps().toList()) {
      PodSpec pod = build(step, r).getSpec().getTemplate().getSpec();
      assertThat(pod.getVolumes()).noneSatisfy(v -> assertThat(v.getName()).startsWith("tls-"));
      assertThat(pod.getContainers().get(0).getEnv())
          .extracting(EnvVar::getName)
          .doesNotContain("PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY")
          .contains("PGSSLMODE");
      assertThat(
              pod.getContainers().get(0).getEnv().stream()
                  .filter(e -> e.getName().equals("PGSSLMODE"))
                  .findFirst()
                  .orElseThrow()
                  .getValue())
          .isEqualTo("prefer");
    }
  }

  @ParameterizedTest
  @MethodSource("steps")
  void honoursTheJobTemplateAndOwnsTheJob(String step) {
    JobTemplateSpec t = new JobTemplateSpec();
    t.setServiceAccountName("migrator");
    t.setResources(
        new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1Gi")).build());
    t.setNodeSelector(Map.of("pool", "batch"));
    t.setTolerations(
        List.of(new TolerationBuilder().withKey("batch").withOperator("Exists").build()));
    t.setImagePullSecrets(List.of(new LocalObjectReference("registry-creds")));
    t.setActiveDeadlineSeconds(7200L);
    t.setBackoffLimit(1);
    t.setTtlSecondsAfterFinished(600);
    t.setLabels(Map.of("team", "shop"));
    t.setAnnotations(Map.of("sidecar.istio.io/inject", "false"));
    DatabaseSchema r = resource(t);
    Job job = build(step, r);
    PodSpec pod = job.getSpec().getTemplate().getSpec();

    assertThat(pod.getServiceAccountName()).isEqualTo("migrator");
    assertThat(pod.getContainers().get(0).getResources().getLimits())
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(pod.getNodeSelector()).containsEntry("pool", "batch");
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(pod.getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("registry-creds");
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    // Kubernetes may retry a plan or a backup; a failed migration, undo or restore is reported,
    // never re-run blindly.
    assertThat(job.getSpec().getBackoffLimit())
        .isEqualTo(step.equals("plan") || step.equals("backup") ? 1 : 0);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "shop")
        .containsEntry(JobFactory.LABEL_SCHEMA, "todo")
        .containsEntry(JobFactory.LABEL_STEP, step);
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("sidecar.istio.io/inject", "false");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    // Security is not tunable: the template cannot loosen it.
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
  }

  @Test
  void specValuesReachScriptsOnlyAsEnvironmentNeverAsScriptText() {
    DatabaseSchema r = resource(null);
    Job backup =
        factory.backupJob(
            r,
            "todo-backup-x",
            "postgres:16-alpine",
            "shop_todo_20250101T000000Z_r7.dump",
            "7",
            null);
    Container c = backup.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand()).containsExactly("/bin/sh", "-c", BackupScript.SCRIPT);
    assertThat(BackupScript.SCRIPT)
        .doesNotContain("todo-postgres-rw")
        .doesNotContain("todo-backups");
    // Kubernetes expands $(NAME) in commands when NAME is a variable of the container: the script
    // must not use that form.
    for (EnvVar e : c.getEnv()) {
      assertThat(BackupScript.SCRIPT).doesNotContain("$(" + e.getName() + ")");
      assertThat(RestoreScript.SCRIPT).doesNotContain("$(" + e.getName() + ")");
    }
    assertThat(c.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(JobFactory.BACKUP_MOUNT));
    assertThat(backup.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("todo-backups"));
  }

  @Test
  void runnerArgumentsCarryTheTargetAndTimeoutsAndTheReportPath() {
    Job migrate =
        factory.changeJob(
            resource(null),
            "todo-migrate-x",
            Step.MIGRATE,
            "4",
            "9",
            Optional.empty(),
            Optional.empty());
    assertThat(migrate.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSequence("migrate", "--target", "9")
        .containsSequence("--location", "/migrations")
        .containsSequence("--report", "/dev/termination-log")
        .containsSequence("--lock-timeout", "5s")
        .containsSequence("--statement-timeout", "30min");
    assertThat(migrate.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
        .isNullOrEmpty();
    Job plan = factory.planJob(resource(null), "todo-plan-x", Optional.empty(), Optional.empty());
    assertThat(plan.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .startsWith("plan", "--target", "latest");
    assertThat(Serialization.asJson(plan)).doesNotContain("password");
  }

  @Test
  void aSchemaToAdoptIsPassedToThePlanAndTheMigrateOnly() {
    Job plan = factory.planJob(resource(null), "todo-plan-x", Optional.empty(), Optional.of("3"));
    assertThat(plan.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSequence("--baseline-at", "3");
    Job migrate =
        factory.changeJob(
            resource(null),
            "todo-migrate-x",
            Step.MIGRATE,
            "3",
            "9",
            Optional.empty(),
            Optional.of("3"));
    assertThat(migrate.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSequence("--baseline-at", "3");
    Job undo =
        factory.changeJob(
            resource(null), "todo-undo-x", Step.UNDO, "9", "3", Optional.empty(), Optional.of("3"));
    assertThat(undo.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .doesNotContain("--baseline-at");
  }

  @Test
  void jobNamesAreDeterministicShortAndValid() {
    String longName = "a".repeat(200);
    String name = JobNames.of(longName, "uid", Step.MIGRATE, "plan-job-1");
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(JobNames.of(longName, "uid", Step.MIGRATE, "plan-job-1")).isEqualTo(name);
    assertThat(JobNames.of(longName, "uid", Step.MIGRATE, "plan-job-2")).isNotEqualTo(name);
    assertThat(JobNames.of(longName, "other-uid", Step.MIGRATE, "plan-job-1")).isNotEqualTo(name);
    assertThat(JobNames.of("db.v2-", "uid", Step.PLAN, "x"))
        .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }

  @Test
  void backupImageFollowsTheServerMajorVersion() {
    assertThat(JobSettings.defaults().backupImageFor("17.2")).isEqualTo("postgres:17-alpine");
    assertThat(BackupFiles.fileName(resource(null), Instant.parse("2025-01-31T10:15:30Z"), "7"))
        .isEqualTo("shop_todo_20250131T101530Z_r7.dump");
  }

  private Job build(String step, DatabaseSchema r) {
    switch (step) {
      case "plan":
        return factory.planJob(r, "todo-plan-x", Optional.empty(), Optional.empty());
      case "backup":
        return factory.backupJob(r, "todo-backup-x", "postgres:16-alpine", "f.dump", "7", null);
      case "migrate":
        return factory.changeJob(
            r, "todo-migrate-x", Step.MIGRATE, "7", "9", Optional.empty(), Optional.empty());
      case "undo":
        return factory.changeJob(
            r, "todo-undo-x", Step.UNDO, "9", "7", Optional.empty(), Optional.empty());
      case "change":
        return factory.changeCommandJob(
            r,
            "todo-change-x",
            Optional.empty(),
            Optional.empty(),
            new JobFactory.ChangeChecks(false, false, null, null, true, null, "g1|r|a0|c"));
      default:
        return factory.restoreJob(r, "todo-restore-x", "postgres:16-alpine", "f.dump", "9", "7");
    }
  }

  @Test
  void theChangeJobRunsTheChangeCommandWithItsChecksAndTheBackupClaim() {
    DatabaseSchema r = resource(null);
    r.getSpec().setTargetRevision("9");
    Job job =
        factory.changeCommandJob(
            r,
            "todo-change-x",
            Optional.of("4"),
            Optional.empty(),
            new JobFactory.ChangeChecks(
                true, true, "sha256:ab", "7", true, "{\"action\":\"Migrate\"}", "g2|r|a0|c"));
    var pod = job.getSpec().getTemplate().getSpec();
    List<String> args = pod.getContainers().get(0).getArgs();
    assertThat(args)
        .startsWith("change", "--target", "9")
        .containsSubsequence("--clear-failed", "4")
        .contains("--allow-downgrade", "--require-undo")
        .containsSubsequence("--expect-digest", "sha256:ab")
        .containsSubsequence("--expect-from", "7")
        .containsSubsequence("--backup-dir", "/backups", "--backup-prefix", "shop_todo_")
        .containsSubsequence("--backup-keep");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/backups") && m.getName().equals("backups"));
    assertThat(pod.getVolumes())
        .anyMatch(v -> v.getPersistentVolumeClaim() != null && v.getName().equals("backups"));
    // A change is never re-run blindly by Kubernetes.
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getMetadata().getLabels()).containsEntry(JobFactory.LABEL_STEP, "change");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(JobFactory.ANNOTATION_FLOW, "g2|r|a0|c")
        .containsEntry(JobFactory.ANNOTATION_PREVIOUS_RUN, "{\"action\":\"Migrate\"}");

    Job noBackup =
        factory.changeCommandJob(
            r,
            "todo-change-y",
            Optional.empty(),
            Optional.empty(),
            new JobFactory.ChangeChecks(false, false, null, null, false, null, "g2|r|a0|c"));
    assertThat(noBackup.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .doesNotContain("--backup-dir", "--allow-downgrade", "--require-undo", "--expect-digest");
    assertThat(noBackup.getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getPersistentVolumeClaim() != null);
  }

  private static DatabaseSchema resource(JobTemplateSpec template) {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setName("todo");
    r.getMetadata().setNamespace("shop");
    r.getMetadata().setUid("uid-1");
    DatabaseSchemaSpec spec = new DatabaseSchemaSpec();
    DatabaseRef db = new DatabaseRef();
    db.setHost("todo-postgres-rw");
    db.setName("todo");
    db.setCredentialsSecret("todo-db");
    db.setUsernameKey("user");
    db.setPasswordKey("pass");
    db.setSslMode(DatabaseRef.SslMode.verifyFull);
    spec.setDatabase(db);
    MigrationsSpec m = new MigrationsSpec();
    m.setImage("registry.example.com/todo-migrations:1.7.0");
    m.setLockTimeout("5s");
    m.setStatementTimeout("30min");
    spec.setMigrations(m);
    BackupSpec b = new BackupSpec();
    b.setVolumeClaim("todo-backups");
    spec.setBackup(b);
    spec.setJobTemplate(template);
    r.setSpec(spec);
    return r;
  }
}
