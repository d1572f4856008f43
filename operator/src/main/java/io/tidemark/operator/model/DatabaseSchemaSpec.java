package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** What the schema should be, and how Tidemark may get it there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSchemaSpec {
  /**
   * "latest", "0" (base: no migration applied), or a Flyway version such as "7" or "2025.01.31.2".
   * Flyway treats "_" as "."; we accept both and compare the parsed versions.
   */
  public static final String REVISION_PATTERN = "^(latest|0|[0-9]+([._][0-9]+)*)$";

  @Required
  @JsonPropertyDescription("The PostgreSQL database whose schema is managed, and the Secret holding its credentials.")
  private DatabaseRef database;

  @Required
  @JsonPropertyDescription("The migrations image: a Tidemark base image with the application's V (and U) SQL scripts copied in.")
  private MigrationsSpec migrations;

  @Default("latest")
  @Pattern(REVISION_PATTERN)
  @JsonPropertyDescription("The revision the schema must be at: \"latest\" (the newest migration in the image), \"0\" (base: everything undone), or a Flyway version such as \"7\" or \"2025.01.31.2\". A revision lower than the current one is reached by running undo scripts.")
  private String targetRevision = "latest";

  @JsonPropertyDescription("Backups taken with pg_dump before every change of revision.")
  private BackupSpec backup = new BackupSpec();

  @JsonPropertyDescription("How the schema is put back when the application rollout that needed it fails.")
  private RollbackSpec rollback;

  @JsonPropertyDescription("Settings applied to every Job Tidemark creates (plan, backup, migrate, undo, restore).")
  private JobTemplateSpec jobTemplate;

  @Default("false")
  @JsonPropertyDescription("When true, Tidemark starts no new Job for this resource; a Job already running is left to finish.")
  private Boolean suspend = false;

  public DatabaseRef getDatabase() { return database; }
  public void setDatabase(DatabaseRef database) { this.database = database; }
  public MigrationsSpec getMigrations() { return migrations; }
  public void setMigrations(MigrationsSpec migrations) { this.migrations = migrations; }
  public String getTargetRevision() { return targetRevision; }
  public void setTargetRevision(String targetRevision) { this.targetRevision = targetRevision; }
  public BackupSpec getBackup() { return backup; }
  public void setBackup(BackupSpec backup) { this.backup = backup; }
  public RollbackSpec getRollback() { return rollback; }
  public void setRollback(RollbackSpec rollback) { this.rollback = rollback; }
  public JobTemplateSpec getJobTemplate() { return jobTemplate; }
  public void setJobTemplate(JobTemplateSpec jobTemplate) { this.jobTemplate = jobTemplate; }
  public Boolean getSuspend() { return suspend; }
  public void setSuspend(Boolean suspend) { this.suspend = suspend; }

  public boolean isSuspended() { return Boolean.TRUE.equals(suspend); }
}
