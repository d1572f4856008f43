package io.tidemark.local.testsupport;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.tidemark.operator.model.BackupSpec;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.MigrationsSpec;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.WorkloadRef;
import java.util.List;
import java.util.Map;

/**
 * The resources the tests and benchmarks create: a DatabaseSchema on the embedded PostgreSQL, its
 * credentials Secret and backup claim, a rollback on a failed rollout, the application's
 * Deployment.
 */
public final class Manifests {
  /** The credentials Secret every DatabaseSchema here names (keys username and password). */
  public static final String CREDENTIALS_SECRET = "db-creds";

  /** The volume claim every DatabaseSchema here backs up to. */
  public static final String BACKUP_CLAIM = "backups";

  private Manifests() {}

  /** The credentials Secret with both keys. */
  public static Secret credentialsSecret(String ns, String user, String password) {
    return credentialsSecret(ns, Map.of("username", user, "password", password));
  }

  /** The credentials Secret with exactly these keys. */
  public static Secret credentialsSecret(String ns, Map<String, String> keys) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(CREDENTIALS_SECRET)
        .withNamespace(ns)
        .endMetadata()
        .withStringData(keys)
        .build();
  }

  /** A claim of 1Gi, ReadWriteOnce. */
  public static PersistentVolumeClaim backupClaim(String ns, String claim) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(claim)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity("1Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  /**
   * A DatabaseSchema on a database of the embedded PostgreSQL on this host (no TLS), with the
   * credentials Secret, backups on (the backup claim, five kept).
   */
  public static DatabaseSchema schema(
      String ns, String name, String image, String target, int port, String database) {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace(ns);
    DatabaseSchemaSpec spec = new DatabaseSchemaSpec();
    DatabaseRef db = new DatabaseRef();
    db.setHost("localhost");
    db.setPort(port);
    db.setName(database);
    db.setCredentialsSecret(CREDENTIALS_SECRET);
    db.setSslMode(DatabaseRef.SslMode.disable);
    spec.setDatabase(db);
    MigrationsSpec migrations = new MigrationsSpec();
    migrations.setImage(image);
    spec.setMigrations(migrations);
    spec.setTargetRevision(target);
    BackupSpec backup = new BackupSpec();
    backup.setEnabled(true);
    backup.setVolumeClaim(BACKUP_CLAIM);
    backup.setKeep(5);
    spec.setBackup(backup);
    r.setSpec(spec);
    return r;
  }

  /** Rollback on a failed rollout of one workload, with the given strategy and window. */
  public static RollbackSpec rollbackOn(
      RollbackSpec.RollbackStrategy strategy,
      WorkloadRef.WorkloadKind kind,
      String workload,
      String window) {
    RollbackSpec rollback = new RollbackSpec();
    rollback.setStrategy(strategy);
    OnFailedRollout onFailed = new OnFailedRollout();
    WorkloadRef w = new WorkloadRef();
    w.setKind(kind);
    w.setName(workload);
    onFailed.setWorkloads(List.of(w));
    onFailed.setWindow(window);
    rollback.setOnFailedRollout(onFailed);
    return rollback;
  }

  /** One replica of the application, its Pods (labelled app: {@code app}) as given. */
  public static DeploymentBuilder deployment(
      String ns, String app, int progressDeadlineSeconds, PodSpec pods) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(app)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withProgressDeadlineSeconds(progressDeadlineSeconds)
        .withNewSelector()
        .addToMatchLabels("app", app)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withSpec(pods)
        .endTemplate()
        .endSpec();
  }
}
