package io.tidemark.operator.jobs;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.JobTemplateSpec;
import io.tidemark.operator.model.MigrationsSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the plan, backup and migrate/undo Jobs. Every pod meets the restricted Pod Security
 * profile, gets credentials only through secretKeyRef (libpq's variable names, so the runner and
 * pg_dump read the same Secret), and honours {@code spec.jobTemplate}.
 */
public final class JobFactory {
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "tidemark";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_SCHEMA = "db.tidemark.io/schema";
  public static final String LABEL_STEP = "db.tidemark.io/step";
  public static final String ANNOTATION_FROM = "db.tidemark.io/from";
  public static final String ANNOTATION_TO = "db.tidemark.io/to";
  public static final String ANNOTATION_BACKUP_FILE = "db.tidemark.io/backup-file";

  public static final String CONTAINER_RUNNER = "runner";
  public static final String CONTAINER_BACKUP = "backup";
  public static final String CONTAINER_RESTORE = "restore";
  public static final String TERMINATION_LOG = "/dev/termination-log";
  public static final String BACKUP_MOUNT = "/backups";

  private final JobSettings settings;

  public JobFactory(JobSettings settings) {
    this.settings = settings;
  }

  public JobSettings settings() {
    return settings;
  }

  /** The plan Job: the runner reports current, pending and latest revisions; changes nothing. */
  public Job planJob(
      DatabaseSchema resource,
      String jobName,
      Optional<String> clearFailed,
      Optional<String> baselineAt) {
    List<String> args = runnerArgs(resource, "plan", targetOf(resource));
    clearFailed.ifPresent(revision -> args.addAll(List.of("--clear-failed", revision)));
    baselineAt.ifPresent(revision -> args.addAll(List.of("--baseline-at", revision)));
    if (resource.getSpec().rehearses()) {
      // For the approval: what the change would do, on a schema-only copy.
      args.add("--rehearse");
    }
    return job(
        resource,
        jobName,
        Step.PLAN,
        runnerContainer(resource, args),
        List.of(),
        Map.of(),
        settings.planDeadlineSeconds());
  }

  /** A migrate (up) or undo (down) Job to {@code target}. */
  public Job changeJob(
      DatabaseSchema resource,
      String jobName,
      Step step,
      String from,
      String target,
      Optional<String> clearFailed,
      Optional<String> baselineAt) {
    if (step != Step.MIGRATE && step != Step.UNDO) {
      throw new IllegalArgumentException("not a change step: " + step);
    }
    String command = step == Step.MIGRATE ? "migrate" : "undo";
    List<String> args = runnerArgs(resource, command, target);
    if (step == Step.MIGRATE) {
      // A revision that failed part-way in an earlier flow: its undo script runs first (the
      // runner's --clear-failed).
      clearFailed.ifPresent(revision -> args.addAll(List.of("--clear-failed", revision)));
      // An existing schema without history, adopted at spec.baseline.revision (the runner only
      // baselines when there is no history).
      baselineAt.ifPresent(revision -> args.addAll(List.of("--baseline-at", revision)));
    }
    return job(
        resource,
        jobName,
        step,
        runnerContainer(resource, args),
        List.of(),
        Map.of(ANNOTATION_FROM, from, ANNOTATION_TO, target),
        settings.changeDeadlineSeconds());
  }

  /**
   * What a change Job checks before it changes anything, and whether it backs up first.
   *
   * @param allowDowngrade undo scripts may run (spec.allowDowngrade)
   * @param requireUndo every revision to apply needs an undo script (rollback by Undo)
   * @param expectDigest the approved plan's scripts digest, or null
   * @param expectFrom the approved plan's starting revision, or null
   * @param backup take a backup into the claim first
   * @param previousRun status.lastRun before this Job, as JSON (put back when nothing changes), or
   *     null
   * @param flow the flow key's text
   */
  public record ChangeChecks(
      boolean allowDowngrade,
      boolean requireUndo,
      String expectDigest,
      String expectFrom,
      boolean backup,
      String previousRun,
      String flow) {}

  /** The flow a change Job was started in (its plan belongs to that flow). */
  public static final String ANNOTATION_FLOW = "db.tidemark.io/flow";

  /** Holds status.lastRun as it was before a change Job, for when the Job changes nothing. */
  public static final String ANNOTATION_PREVIOUS_RUN = "db.tidemark.io/previous-run";

  /**
   * The whole change in one Job: the runner's change command plans, makes the checks, backs up into
   * the claim (pg_dump of the runner image) and migrates or undoes to the target, reporting each
   * stage.
   */
  public Job changeCommandJob(
      DatabaseSchema resource,
      String jobName,
      Optional<String> clearFailed,
      Optional<String> baselineAt,
      ChangeChecks checks) {
    List<String> args = runnerArgs(resource, "change", targetOf(resource));
    clearFailed.ifPresent(revision -> args.addAll(List.of("--clear-failed", revision)));
    baselineAt.ifPresent(revision -> args.addAll(List.of("--baseline-at", revision)));
    if (checks.allowDowngrade()) {
      args.add("--allow-downgrade");
    }
    if (checks.requireUndo()) {
      args.add("--require-undo");
    }
    if (checks.expectDigest() != null) {
      args.addAll(List.of("--expect-digest", checks.expectDigest()));
    }
    if (checks.expectFrom() != null) {
      args.addAll(List.of("--expect-from", checks.expectFrom()));
    }
    Container container = runnerContainer(resource, args);
    List<Volume> volumes = List.of();
    if (checks.backup()) {
      args.addAll(
          List.of(
              "--backup-dir",
              BACKUP_MOUNT,
              "--backup-prefix",
              BackupFiles.prefix(resource),
              "--backup-keep",
              Integer.toString(resource.getSpec().getBackup().keepOrDefault())));
      container.setArgs(args);
      container
          .getVolumeMounts()
          .add(new VolumeMountBuilder().withName("backups").withMountPath(BACKUP_MOUNT).build());
      volumes = List.of(backupClaim(resource));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ANNOTATION_TO, targetOf(resource));
    annotations.put(ANNOTATION_FLOW, checks.flow());
    if (checks.previousRun() != null) {
      annotations.put(ANNOTATION_PREVIOUS_RUN, checks.previousRun());
    }
    return job(
        resource,
        jobName,
        Step.CHANGE,
        container,
        volumes,
        annotations,
        settings.changeDeadlineSeconds());
  }

  /**
   * A pg_dump Job writing {@code file} into the backup volume claim; {@code protect} names a dump
   * the pruning must keep (the one a restore is about to use), or is null.
   */
  public Job backupJob(
      DatabaseSchema resource,
      String jobName,
      String image,
      String file,
      String revision,
      String protect) {
    var spec = resource.getSpec();
    List<EnvVar> env = new ArrayList<>(JobConnection.of(spec.getDatabase()).env());
    env.add(plain("BACKUP_DIR", BACKUP_MOUNT));
    env.add(plain("BACKUP_FILE", file));
    env.add(plain("BACKUP_PREFIX", BackupFiles.prefix(resource)));
    env.add(plain("BACKUP_KEEP", Integer.toString(spec.getBackup().keepOrDefault())));
    env.add(plain("BACKUP_PROTECT", protect == null ? "" : protect));
    env.add(plain("TERMINATION_LOG", TERMINATION_LOG));
    Container container =
        scriptContainer(resource, CONTAINER_BACKUP, image, BackupScript.SCRIPT, env);
    return job(
        resource,
        jobName,
        Step.BACKUP,
        container,
        List.of(backupClaim(resource)),
        Map.of(ANNOTATION_BACKUP_FILE, file, ANNOTATION_FROM, revision),
        settings.changeDeadlineSeconds());
  }

  /** A container of the backup image running a shell script, with the backup claim mounted. */
  private Container scriptContainer(
      DatabaseSchema resource, String name, String image, String script, List<EnvVar> env) {
    return baseContainer(resource, name, image, null)
        .withCommand("/bin/sh", "-c", script)
        .withEnv(env)
        .addToVolumeMounts(
            new VolumeMountBuilder().withName("backups").withMountPath(BACKUP_MOUNT).build())
        .build();
  }

  /** The resource's backup PersistentVolumeClaim as the volume "backups". */
  private static Volume backupClaim(DatabaseSchema resource) {
    return new VolumeBuilder()
        .withName("backups")
        .withNewPersistentVolumeClaim(resource.getSpec().getBackup().getVolumeClaim(), false)
        .build();
  }

  /**
   * A Job restoring the managed schemas from {@code file} in the backup volume claim, in one
   * transaction.
   */
  public Job restoreJob(
      DatabaseSchema resource, String jobName, String image, String file, String from, String to) {
    var spec = resource.getSpec();
    List<EnvVar> env = new ArrayList<>(JobConnection.of(spec.getDatabase()).env());
    env.add(plain("BACKUP_DIR", BACKUP_MOUNT));
    env.add(plain("BACKUP_FILE", file));
    // The managed schemas (spec.schemas): what a restore drops and rebuilds, together.
    env.add(plain("RESTORE_SCHEMAS", String.join(" ", spec.schemasOrDefault())));
    String lockTimeout =
        spec.getMigrations() == null || spec.getMigrations().getLockTimeout() == null
            ? "10s"
            : spec.getMigrations().getLockTimeout();
    env.add(plain("RESTORE_LOCK_TIMEOUT", lockTimeout));
    env.add(plain("TERMINATION_LOG", TERMINATION_LOG));
    Container container =
        scriptContainer(resource, CONTAINER_RESTORE, image, RestoreScript.SCRIPT, env);
    return job(
        resource,
        jobName,
        Step.RESTORE,
        container,
        List.of(backupClaim(resource)),
        Map.of(ANNOTATION_BACKUP_FILE, file, ANNOTATION_FROM, from, ANNOTATION_TO, to),
        settings.changeDeadlineSeconds());
  }

  static String targetOf(DatabaseSchema resource) {
    String target = resource.getSpec().getTargetRevision();
    return target == null || target.isBlank() ? "latest" : target;
  }

  private List<String> runnerArgs(DatabaseSchema resource, String command, String target) {
    var migrations = resource.getSpec().getMigrations();
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--target",
                target,
                "--location",
                migrations.getPath() == null ? "/migrations" : migrations.getPath(),
                "--report",
                TERMINATION_LOG,
                "--connect-retries",
                Integer.toString(settings.connectRetries())));
    List<String> schemas = resource.getSpec().schemasOrDefault();
    if (!schemas.equals(List.of("public"))) {
      // The runner's default is public; the first schema holds the history table.
      args.addAll(List.of("--schema", String.join(",", schemas)));
    }
    if (!"plan".equals(command)) {
      args.addAll(
          List.of(
              "--lock-timeout",
                  migrations.getLockTimeout() == null ? "10s" : migrations.getLockTimeout(),
              "--statement-timeout",
                  migrations.getStatementTimeout() == null
                      ? "0"
                      : migrations.getStatementTimeout()));
    }
    return args;
  }

  private ContainerBuilder baseContainer(
      DatabaseSchema resource, String name, String image, String pullPolicy) {
    JobTemplateSpec template = resource.getSpec().getJobTemplate();
    ContainerBuilder builder =
        new ContainerBuilder()
            .withName(name)
            .withImage(image)
            .withTerminationMessagePath(TERMINATION_LOG)
            // Our images write a JSON report; anything else (a crash, pg_dump's error) is in the
            // log.
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withSecurityContext(
                new SecurityContextBuilder()
                    .withAllowPrivilegeEscalation(false)
                    .withPrivileged(false)
                    .withReadOnlyRootFilesystem(true)
                    .withRunAsNonRoot(true)
                    .withCapabilities(new Capabilities(null, List.of("ALL")))
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .build())
            .addToVolumeMounts(tmpMount());
    if (pullPolicy != null) {
      builder.withImagePullPolicy(pullPolicy);
    }
    if (template != null && template.getResources() != null) {
      builder.withResources(template.getResources());
    } else {
      builder
          .withNewResources()
          .addToRequests("cpu", new Quantity("100m"))
          .addToRequests("memory", new Quantity("256Mi"))
          .addToLimits("memory", new Quantity("512Mi"))
          .endResources();
    }
    return builder;
  }

  private Container runnerContainer(DatabaseSchema resource, List<String> args) {
    var migrations = resource.getSpec().getMigrations();
    String pullPolicy =
        migrations.getImagePullPolicy() == null ? null : migrations.getImagePullPolicy().name();
    // The image's entrypoint keeps the JVM's temporary files in /tmp, the only writable folder.
    List<EnvVar> env = new ArrayList<>(JobConnection.of(resource.getSpec().getDatabase()).env());
    ContainerBuilder container =
        baseContainer(resource, CONTAINER_RUNNER, runnerImage(migrations), pullPolicy)
            .withArgs(args);
    if (migrations.getConfigMap() != null) {
      // Named in the runner's messages: "no V<version>__*.sql scripts in ConfigMap todo-sql".
      env.add(plain(MIGRATIONS_SOURCE_ENV, "ConfigMap " + migrations.getConfigMap().getName()));
      container.addToVolumeMounts(
          new VolumeMountBuilder()
              .withName(MIGRATIONS_VOLUME)
              .withMountPath(migrationsPath(migrations))
              .withReadOnly(true)
              .build());
    }
    return container.withEnv(env).build();
  }

  /** The image the runner Jobs run: the migrations image, or the base runner image. */
  public String runnerImage(MigrationsSpec migrations) {
    return migrations.getConfigMap() != null ? settings.runnerImage() : migrations.getImage();
  }

  /**
   * The scripts' ConfigMap as a volume, when they come from one. Optional, like the TLS volumes: a
   * ConfigMap that is not there leaves the folder empty and the plan says so (NoMigrations, naming
   * the ConfigMap) instead of the Pod waiting at ContainerCreating.
   */
  private static List<Volume> migrationsVolumes(DatabaseSchema resource) {
    MigrationsSpec migrations = resource.getSpec().getMigrations();
    if (migrations == null || migrations.getConfigMap() == null) {
      return List.of();
    }
    return List.of(
        new VolumeBuilder()
            .withName(MIGRATIONS_VOLUME)
            .withNewConfigMap()
            .withName(migrations.getConfigMap().getName())
            .withDefaultMode(0444)
            .withOptional(true)
            .endConfigMap()
            .build());
  }

  private static String migrationsPath(MigrationsSpec migrations) {
    return migrations.getPath() == null ? "/migrations" : migrations.getPath();
  }

  static final String MIGRATIONS_VOLUME = "migrations";

  /** Tells the runner where its scripts come from, for its messages. */
  static final String MIGRATIONS_SOURCE_ENV = "TIDEMARK_MIGRATIONS_SOURCE";

  static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  static EnvVar secret(String name, String secretName, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef(key, secretName, false)
        .endValueFrom()
        .build();
  }

  private static VolumeMount tmpMount() {
    return new VolumeMountBuilder().withName(JobEnvelope.TMP_VOLUME).withMountPath("/tmp").build();
  }

  private Job job(
      DatabaseSchema resource,
      String jobName,
      Step step,
      Container container,
      List<Volume> extraVolumes,
      Map<String, String> annotations,
      long defaultDeadline) {
    List<Volume> volumes = new ArrayList<>(extraVolumes);
    if (container.getName().equals(CONTAINER_RUNNER)) {
      volumes.addAll(migrationsVolumes(resource));
    }
    return JobEnvelope.wrap(
        resource,
        jobName,
        step,
        container,
        volumes,
        annotations,
        defaultDeadline,
        settings.ttlSecondsAfterFinished());
  }
}
