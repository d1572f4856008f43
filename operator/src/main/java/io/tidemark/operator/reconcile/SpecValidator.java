package io.tidemark.operator.reconcile;

import io.tidemark.operator.model.BackupSpec;
import io.tidemark.operator.model.BaselineSpec;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.JobTemplateSpec;
import io.tidemark.operator.model.MigrationsSpec;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.WorkloadRef;
import io.tidemark.operator.rollout.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a spec before anything runs. The CRD's schema rejects most bad input at the API server,
 * but not every cluster validates (and not every client goes through it), and some rules span
 * fields; so the operator checks again and refuses with a message that says what to fix.
 */
public final class SpecValidator {
  private static final Pattern REVISION = Pattern.compile(DatabaseSchemaSpec.REVISION_PATTERN);
  private static final Pattern SCHEMA_NAME =
      Pattern.compile(DatabaseSchemaSpec.SCHEMA_NAME_PATTERN);
  private static final Pattern IMAGE = Pattern.compile(MigrationsSpec.IMAGE_PATTERN);
  private static final Pattern PATH = Pattern.compile(MigrationsSpec.PATH_PATTERN);
  private static final Pattern PG_DURATION = Pattern.compile(MigrationsSpec.PG_DURATION_PATTERN);
  private static final Pattern WINDOW = Pattern.compile(OnFailedRollout.WINDOW_PATTERN);

  /**
   * Tidemark labels its Jobs with the resource's name, and label values are limited to 63
   * characters.
   */
  static final int MAX_NAME = 63;

  private static final Pattern BASELINE_REVISION =
      Pattern.compile(BaselineSpec.BASELINE_REVISION_PATTERN);

  private SpecValidator() {}

  /** The spec's problems, and the resource name's. */
  static List<String> problems(DatabaseSchema resource) {
    List<String> problems = problems(resource.getSpec());
    if (resource.getMetadata().getName().length() > MAX_NAME) {
      problems.add(
          "metadata.name is longer than "
              + MAX_NAME
              + " characters: Tidemark labels its Jobs with it, and label "
              + "values are limited to 63; use a shorter name");
    }
    return problems;
  }

  /** Every problem found, each naming the field and what to do; empty when the spec is usable. */
  public static List<String> problems(DatabaseSchemaSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is missing: set spec.database, spec.migrations and spec.targetRevision");
      return problems;
    }
    DatabaseRefValidator.check(spec.getDatabase(), problems);
    checkMigrations(spec.getMigrations(), problems);
    checkSchemas(spec.getSchemas(), problems);
    String target = spec.getTargetRevision();
    if (target != null
        && (target.length() > DatabaseSchemaSpec.REVISION_MAX_LENGTH
            || !REVISION.matcher(target).matches())) {
      problems.add(
          "spec.targetRevision \""
              + SpecProblems.printable(target)
              + "\" is not a revision: use \"latest\", \"0\" (base) or a Flyway version such as \"7\" or \"2025.01.31.2\""
              + " (at most "
              + DatabaseSchemaSpec.REVISION_MAX_LENGTH
              + " characters, 30 digits per part)");
    }
    checkBaseline(spec.getBaseline(), problems);
    checkBackup(spec.getBackup(), problems);
    checkRollback(spec.getRollback(), spec.getBackup(), problems);
    checkJobTemplate(spec.getJobTemplate(), problems);
    return problems;
  }

  private static void checkJobTemplate(JobTemplateSpec t, List<String> problems) {
    if (t == null) {
      return;
    }
    if (t.getServiceAccountName() != null
        && !SpecProblems.OBJECT_NAME.matcher(t.getServiceAccountName()).matches()) {
      problems.add("spec.jobTemplate.serviceAccountName is not a valid Kubernetes name");
    }
    if (t.getActiveDeadlineSeconds() != null && t.getActiveDeadlineSeconds() < 1) {
      problems.add("spec.jobTemplate.activeDeadlineSeconds must be at least 1");
    }
    if (t.getBackoffLimit() != null && (t.getBackoffLimit() < 0 || t.getBackoffLimit() > 10)) {
      problems.add("spec.jobTemplate.backoffLimit must be between 0 and 10");
    }
    if (t.getTtlSecondsAfterFinished() != null && t.getTtlSecondsAfterFinished() < 300) {
      problems.add(
          "spec.jobTemplate.ttlSecondsAfterFinished must be at least 300: Tidemark reads a finished Job's "
              + "result, which a shorter time-to-live could delete first");
    }
    if (t.getAnnotations() != null) {
      t.getAnnotations().keySet().stream()
          .filter(DatabaseSchemaSpec::loosensPodSecurity)
          .sorted()
          .forEach(
              key ->
                  problems.add(
                      "spec.jobTemplate.annotations \""
                          + SpecProblems.printable(key)
                          + "\" is refused: AppArmor and "
                          + "seccomp annotations would loosen the Jobs' restricted Pod Security profile; remove it"));
      if (t.getAnnotations().size() > 64) {
        problems.add("spec.jobTemplate.annotations has more than 64 entries");
      }
    }
    if (t.getLabels() != null && t.getLabels().size() > 64) {
      problems.add("spec.jobTemplate.labels has more than 64 entries");
    }
  }

  private static void checkSchemas(List<String> schemas, List<String> problems) {
    if (schemas == null) {
      return;
    }
    if (schemas.isEmpty() || schemas.size() > 16) {
      problems.add(
          "spec.schemas names "
              + schemas.size()
              + " schemas: name 1 to 16, or leave it out for public");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < schemas.size(); i++) {
      String schema = schemas.get(i);
      if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
        problems.add(
            "spec.schemas["
                + i
                + "] \""
                + SpecProblems.printable(String.valueOf(schema))
                + "\" is not a schema name Tidemark manages: lower-case letters, digits and _,"
                + " starting with a letter or _, at most 63 characters");
      } else if (!seen.add(schema)) {
        problems.add("spec.schemas[" + i + "] names " + schema + " a second time");
      }
    }
  }

  private static void checkMigrations(MigrationsSpec m, List<String> problems) {
    if (m == null) {
      problems.add(
          "spec.migrations is missing: set spec.migrations.image to your migrations image (or"
              + " spec.migrations.configMap)");
      return;
    }
    if (m.getConfigMap() != null) {
      if (m.getImage() != null) {
        problems.add(
            "spec.migrations has both image and configMap: set one, the scripts come from one"
                + " place");
      }
      SpecProblems.require(
          m.getConfigMap().getName(),
          SpecProblems.OBJECT_NAME,
          "spec.migrations.configMap.name",
          "the name of a ConfigMap in this namespace whose keys are the scripts",
          problems);
    } else {
      SpecProblems.require(
          m.getImage(),
          IMAGE,
          "spec.migrations.image",
          "an image reference such as registry.example.com/todo-migrations:1.7.0 (or set"
              + " spec.migrations.configMap)",
          problems);
    }
    if (m.getPath() != null
        && (!PATH.matcher(m.getPath()).matches() || m.getPath().contains(".."))) {
      problems.add(
          "spec.migrations.path \""
              + SpecProblems.printable(m.getPath())
              + "\" must be an absolute path without \"..\"");
    }
    if (m.getLockTimeout() != null && !PG_DURATION.matcher(m.getLockTimeout()).matches()) {
      problems.add(
          "spec.migrations.lockTimeout \""
              + SpecProblems.printable(m.getLockTimeout())
              + "\" is not a PostgreSQL duration such as \"10s\", \"500ms\" or \"5min\" (at most 596h, PostgreSQL's limit)");
    }
    if (m.getStatementTimeout() != null
        && !PG_DURATION.matcher(m.getStatementTimeout()).matches()) {
      problems.add(
          "spec.migrations.statementTimeout \""
              + SpecProblems.printable(m.getStatementTimeout())
              + "\" is not a PostgreSQL duration such as \"30min\" or \"0\" (at most 596h, PostgreSQL's limit)");
    }
  }

  /** spec.baseline: a revision of the image, never base ("0") or "latest". */
  private static void checkBaseline(BaselineSpec baseline, List<String> problems) {
    if (baseline == null) {
      return;
    }
    String revision = baseline.getRevision();
    if (revision == null
        || revision.length() > DatabaseSchemaSpec.REVISION_MAX_LENGTH
        || !BASELINE_REVISION.matcher(revision).matches()
        || revision.chars().allMatch(c -> c == '0' || c == '.' || c == '_')) {
      problems.add(
          "spec.baseline.revision \""
              + SpecProblems.printable(revision == null ? "" : revision)
              + "\" is not a revision to adopt a schema at: use the Flyway version the existing"
              + " schema matches, such as \"3\" (not \"0\" or \"latest\")");
    }
  }

  private static void checkBackup(BackupSpec backup, List<String> problems) {
    if (backup == null || !backup.isEnabled()) {
      return;
    }
    if (backup.getVolumeClaim() == null || backup.getVolumeClaim().isBlank()) {
      problems.add(
          "spec.backup.volumeClaim is required while backups are enabled: name a PersistentVolumeClaim "
              + "for the dumps, or set spec.backup.enabled to false");
    } else if (!SpecProblems.OBJECT_NAME.matcher(backup.getVolumeClaim()).matches()) {
      problems.add("spec.backup.volumeClaim is not a valid PersistentVolumeClaim name");
    }
    if (backup.getKeep() != null && (backup.getKeep() < 1 || backup.getKeep() > 1000)) {
      problems.add("spec.backup.keep must be between 1 and 1000");
    }
    if (backup.getImage() != null && !IMAGE.matcher(backup.getImage()).matches()) {
      problems.add(
          "spec.backup.image \""
              + SpecProblems.printable(backup.getImage())
              + "\" is not an image reference");
    }
  }

  private static void checkRollback(
      RollbackSpec rollback, BackupSpec backup, List<String> problems) {
    if (rollback == null) {
      return;
    }
    if (rollback.strategyOrDefault() == RollbackSpec.RollbackStrategy.Restore
        && (backup == null || !backup.isEnabled())) {
      problems.add(
          "spec.rollback.strategy Restore needs backups: set spec.backup.enabled to true (with a volumeClaim), "
              + "or use strategy Undo");
    }
    OnFailedRollout onFailed = rollback.getOnFailedRollout();
    if (onFailed == null) {
      return;
    }
    if (onFailed.getWorkloads() == null || onFailed.getWorkloads().isEmpty()) {
      problems.add(
          "spec.rollback.onFailedRollout.workloads is empty: name the Deployments, StatefulSets or Rollouts to watch");
    } else {
      for (int i = 0; i < onFailed.getWorkloads().size(); i++) {
        WorkloadRef w = onFailed.getWorkloads().get(i);
        if (w == null || w.getKind() == null) {
          problems.add(
              "spec.rollback.onFailedRollout.workloads["
                  + i
                  + "].kind must be Deployment, StatefulSet or Rollout");
        } else if (w.getName() == null
            || !SpecProblems.OBJECT_NAME.matcher(w.getName()).matches()) {
          problems.add(
              "spec.rollback.onFailedRollout.workloads["
                  + i
                  + "].name is not a valid Kubernetes name");
        }
      }
    }
    if (onFailed.getWindow() != null
        && (!WINDOW.matcher(onFailed.getWindow()).matches()
            || Durations.parseGo(onFailed.getWindow()).isEmpty())) {
      problems.add(
          "spec.rollback.onFailedRollout.window \""
              + SpecProblems.printable(onFailed.getWindow())
              + "\" is not a duration such as \"15m\" or \"1h30m\" (whole hours, minutes and seconds, in that order, "
              + "up to 9999h)");
    }
  }
}
