package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.tidemark.operator.model.schema.StringSet;
import java.util.List;
import lombok.Getter;
import lombok.Setter;

/**
 * What the schema should be, and how Tidemark may get it there.
 *
 * <p>The CEL rules below (x-kubernetes-validations) are checked by the API server; the schema tests
 * (CrdSchemaValidationTest) emulate each of them and fail when a rule changes without its
 * emulation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = DatabaseSchemaSpec.RULE_BACKUP_CLAIM,
    message =
        "backup.volumeClaim is required while backups are enabled (the default); set backup.enabled to false to migrate without backups",
    fieldPath = ".backup.volumeClaim",
    reason = "FieldValueRequired")
@ValidationRule(
    value = DatabaseSchemaSpec.RULE_RESTORE_NEEDS_BACKUP,
    message =
        "rollback.strategy Restore restores the backup taken before the change, so it needs backup.enabled",
    fieldPath = ".rollback.strategy",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = DatabaseSchemaSpec.RULE_NO_SECURITY_ANNOTATIONS,
    message =
        "jobTemplate.annotations may not set AppArmor or seccomp annotations: Tidemark's Jobs run under the restricted Pod Security profile, which cannot be loosened",
    fieldPath = ".jobTemplate.annotations",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = DatabaseSchemaSpec.RULE_DATABASE_ENDPOINT,
    message =
        "set either database.cluster (a CloudNativePG Cluster) or database.host with database.credentialsSecret",
    fieldPath = ".database",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = DatabaseSchemaSpec.RULE_VERIFY_NEEDS_CA,
    message =
        "database.sslMode verify-ca and verify-full verify the server with a CA: set database.tls.ca (a Secret or ConfigMap key), or use database.cluster",
    fieldPath = ".database.sslMode",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = DatabaseSchemaSpec.RULE_ONE_CA_SOURCE,
    message = "database.tls.ca takes one of secret and configMap",
    fieldPath = ".database.tls.ca",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = DatabaseSchemaSpec.RULE_ONE_MIGRATIONS_SOURCE,
    message =
        "set one of migrations.image (a migrations image) and migrations.configMap (a ConfigMap of scripts)",
    fieldPath = ".migrations",
    reason = "FieldValueInvalid")
@Getter
@Setter
public class DatabaseSchemaSpec {
  /** CEL: the scripts come from an image or from a ConfigMap. */
  public static final String RULE_ONE_MIGRATIONS_SOURCE =
      "!has(self.migrations) || has(self.migrations.image) != has(self.migrations.configMap)";

  /**
   * CEL: a CloudNativePG cluster (whose credentials Secret may be named, else its -app Secret), or
   * a host and a credentials Secret; never a cluster and a host.
   */
  public static final String RULE_DATABASE_ENDPOINT =
      "!has(self.database) || (has(self.database.cluster)"
          + " ? !has(self.database.host)"
          + " : has(self.database.host) && has(self.database.credentialsSecret))";

  /** CEL: verify-ca and verify-full need a CA: tls.ca, or a cluster's CA Secret. */
  public static final String RULE_VERIFY_NEEDS_CA =
      "!has(self.database) || !has(self.database.sslMode)"
          + " || !(self.database.sslMode in ['verify-ca', 'verify-full'])"
          + " || has(self.database.cluster) || (has(self.database.tls) && has(self.database.tls.ca))";

  /** CEL: the CA comes from a Secret or a ConfigMap. */
  public static final String RULE_ONE_CA_SOURCE =
      "!has(self.database) || !has(self.database.tls) || !has(self.database.tls.ca)"
          + " || has(self.database.tls.ca.secret) != has(self.database.tls.ca.configMap)";

  /** CEL: backups are on unless switched off, and then they need a volume claim. */
  public static final String RULE_BACKUP_CLAIM =
      "has(self.backup) && ((has(self.backup.enabled) && !self.backup.enabled) || has(self.backup.volumeClaim))";

  /** CEL: the Restore rollback strategy needs backups. */
  public static final String RULE_RESTORE_NEEDS_BACKUP =
      "!(has(self.rollback) && has(self.rollback.strategy) && self.rollback.strategy == 'Restore'"
          + " && has(self.backup) && has(self.backup.enabled) && !self.backup.enabled)";

  /**
   * Annotation key prefixes that would loosen a Pod's security; refused in jobTemplate.annotations.
   */
  public static final List<String> SECURITY_ANNOTATION_PREFIXES =
      List.of(
          "container.apparmor.security.beta.kubernetes.io/",
          "seccomp.security.alpha.kubernetes.io/",
          "container.seccomp.security.alpha.kubernetes.io/");

  /** CEL: no annotation of {@link #SECURITY_ANNOTATION_PREFIXES} on the Job pods. */
  public static final String RULE_NO_SECURITY_ANNOTATIONS =
      "!has(self.jobTemplate) || !has(self.jobTemplate.annotations) || self.jobTemplate.annotations.all(k,"
          + " !k.startsWith('container.apparmor.security.beta.kubernetes.io/')"
          + " && !k.startsWith('seccomp.security.alpha.kubernetes.io/')"
          + " && !k.startsWith('container.seccomp.security.alpha.kubernetes.io/'))";

  /** True for an annotation key that would loosen the Pod security of a Job. */
  public static boolean loosensPodSecurity(String key) {
    return key != null && SECURITY_ANNOTATION_PREFIXES.stream().anyMatch(key::startsWith);
  }

  /**
   * "latest", "0" (base: no migration applied), or a Flyway version such as "7" or "2025.01.31.2".
   * Flyway treats "_" as "."; we accept both and compare the parsed versions. At most 21 parts of
   * at most 30 digits each (what the runner accepts), 64 characters in all; leading zeros are
   * allowed and mean nothing ("00002" is revision 2).
   */
  public static final String REVISION_PATTERN = "^(latest|[0-9]{1,30}([._][0-9]{1,30}){0,20})$";

  /** The longest revision accepted. */
  public static final int REVISION_MAX_LENGTH = 64;

  @Required
  @JsonPropertyDescription(
      "The PostgreSQL database whose schema is managed, and the Secret holding its credentials.")
  private DatabaseRef database;

  @Required
  @JsonPropertyDescription(
      "The migrations image: a Tidemark base image with the application's V (and U) SQL scripts copied in.")
  private MigrationsSpec migrations;

  @Default("latest")
  @Pattern(REVISION_PATTERN)
  @Size(min = 1, max = REVISION_MAX_LENGTH)
  @JsonPropertyDescription(
      "The revision the schema must be at: \"latest\" (the newest migration in the image), \"0\" (base: everything undone), or a Flyway version such as \"7\" or \"2025.01.31.2\". A revision lower than the current one is reached by running undo scripts, only when allowDowngrade is true.")
  private String targetRevision = "latest";

  @JsonPropertyDescription(
      "Backups taken with pg_dump before every change of revision. On unless enabled is false, and then volumeClaim is required: leaving backup out is rejected, so that running without backups is a decision.")
  private BackupSpec backup = new BackupSpec();

  @JsonPropertyDescription(
      "How the schema is put back when the application rollout that needed it fails.")
  private RollbackSpec rollback;

  @JsonPropertyDescription(
      "Settings applied to every Job Tidemark creates (plan, backup, migrate, undo, restore).")
  private JobTemplateSpec jobTemplate;

  /** A PostgreSQL schema name as Tidemark manages one: lower case, no quoting needed. */
  public static final String SCHEMA_NAME_PATTERN = "^[a-z_][a-z0-9_]{0,62}$";

  @Size(min = 1, max = 16)
  @StringSet(pattern = SCHEMA_NAME_PATTERN, maxLength = 63)
  @JsonPropertyDescription(
      "The PostgreSQL schemas the migrations manage; unset: public. The first holds flyway_schema_history and is the migrations' search_path; Flyway creates those that do not exist yet. All are checked for objects made without history (BaselineRequired), all are in every backup, and a Restore rollback restores them together in one transaction.")
  private List<String> schemas;

  @Default("false")
  @JsonPropertyDescription(
      "When true, Tidemark starts no new Job for this resource; a Job already running is left to finish.")
  private Boolean suspend = false;

  @Default("false")
  @JsonPropertyDescription(
      "Whether a targetRevision below the current revision may run undo scripts. Off by default: such a plan (a git revert of the target, for instance) leaves the resource Blocked with reason DowngradeNotAllowed and says which revisions it would undo; nothing beyond the plan runs. The rollback after a failed rollout (spec.rollback) is not affected.")
  private Boolean allowDowngrade = false;

  @JsonPropertyDescription(
      "Adopts an existing database whose schema has tables (or other objects) but no flyway_schema_history, such as one made by hand or by another tool: the revision it already matches. Without it such a database is refused with BaselineRequired.")
  private BaselineSpec baseline;

  @Default("Automatic")
  @JsonPropertyDescription(
      "Automatic: a planned change runs at once. Manual: every change of revision waits in phase AwaitingApproval, with the plan and its digest in status.approval, until the annotation db.tidemark.io/approve holds that digest; a new image or target makes a new plan that needs a new approval. OnDestructive: the same, only when the plan's rehearsal on a schema-only copy finds something destructive (a drop, a type change, NOT NULL, CHECK or UNIQUE added to an existing table, an index built without CONCURRENTLY) or could not run. With Manual and OnDestructive the plan Job rehearses, which needs the database user to be allowed to create databases (CREATEDB). The rollback after a failed rollout is not held.")
  private ApprovalPolicy approval = ApprovalPolicy.Automatic;

  /** The plan Job rehearses the change on a schema-only copy (for the approval to judge). */
  @JsonIgnore
  public boolean rehearses() {
    return approval == ApprovalPolicy.Manual || approval == ApprovalPolicy.OnDestructive;
  }

  /** spec.baseline.revision, if set. */
  @JsonIgnore
  public java.util.Optional<String> baselineRevision() {
    return java.util.Optional.ofNullable(baseline).map(BaselineSpec::getRevision);
  }

  /** The managed schemas, the history's first; public when none is named. */
  @JsonIgnore
  public List<String> schemasOrDefault() {
    return schemas == null || schemas.isEmpty() ? List.of("public") : List.copyOf(schemas);
  }

  @JsonIgnore
  public boolean downgradesAllowed() {
    return Boolean.TRUE.equals(allowDowngrade);
  }

  @JsonIgnore
  public boolean isSuspended() {
    return Boolean.TRUE.equals(suspend);
  }
}
