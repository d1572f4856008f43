package io.tidemark.operator.jobs;

/**
 * Operator-wide defaults for the Jobs it creates; {@code spec.jobTemplate} overrides the deadlines
 * and retention per resource.
 *
 * @param backupImageTemplate image for backup and restore Jobs; {@code {major}} is replaced by the
 *     server's major version so that pg_dump is never older than the server
 * @param planDeadlineSeconds activeDeadlineSeconds of plan Jobs
 * @param changeDeadlineSeconds activeDeadlineSeconds of backup, migrate, undo and restore Jobs
 * @param ttlSecondsAfterFinished how long Kubernetes keeps a finished Job for its logs
 * @param connectRetries the runner's connection retries inside one Job
 * @param runnerImage Tidemark's base runner image, for resources whose scripts come from a
 *     ConfigMap (spec.migrations.configMap); the chart sets it to the release's own
 */
public record JobSettings(
    String backupImageTemplate,
    long planDeadlineSeconds,
    long changeDeadlineSeconds,
    int ttlSecondsAfterFinished,
    int connectRetries,
    String runnerImage) {

  /** The base runner image of this version, when the chart does not say (local mode, tests). */
  public static final String DEFAULT_RUNNER_IMAGE = "ghcr.io/tidemark/tidemark-migrate:0.1.0";

  public static JobSettings defaults() {
    return new JobSettings("postgres:{major}-alpine", 600, 3600, 86400, 3, DEFAULT_RUNNER_IMAGE);
  }

  public JobSettings withRunnerImage(String image) {
    return new JobSettings(
        backupImageTemplate,
        planDeadlineSeconds,
        changeDeadlineSeconds,
        ttlSecondsAfterFinished,
        connectRetries,
        image);
  }

  public JobSettings withBackupImageTemplate(String template) {
    return new JobSettings(
        template,
        planDeadlineSeconds,
        changeDeadlineSeconds,
        ttlSecondsAfterFinished,
        connectRetries,
        runnerImage);
  }

  public JobSettings withConnectRetries(int retries) {
    return new JobSettings(
        backupImageTemplate,
        planDeadlineSeconds,
        changeDeadlineSeconds,
        ttlSecondsAfterFinished,
        retries,
        runnerImage);
  }

  /** The backup image for a server version such as "15.19" or "16.4 (Debian 16.4-1)". */
  public String backupImageFor(String serverVersion) {
    String major = "16";
    if (serverVersion != null) {
      var m = java.util.regex.Pattern.compile("^(\\d+)").matcher(serverVersion.trim());
      if (m.find()) {
        major = m.group(1);
      }
    }
    return backupImageTemplate.replace("{major}", major);
  }
}
