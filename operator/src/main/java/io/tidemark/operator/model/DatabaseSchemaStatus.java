package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.tidemark.operator.model.schema.ConditionList;
import io.tidemark.operator.model.schema.ListMapKeys;
import java.util.ArrayList;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** What Tidemark last observed and did. Never holds a secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class DatabaseSchemaStatus {
  @JsonPropertyDescription("The metadata.generation this status was written for.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Where the resource is in the flow: Pending, Planning, BackingUp, Migrating, RollingBack, Ready, Failed, Blocked or Suspended.")
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  private Phase phase;

  @JsonPropertyDescription(
      "Revision the database is at, per Flyway's history table (\"0\": no migration applied).")
  private String currentRevision;

  @JsonPropertyDescription(
      "spec.targetRevision resolved against the image (\"latest\" becomes a version).")
  private String targetRevision;

  @JsonPropertyDescription("Newest revision the migrations image holds.")
  private String latestRevision;

  @JsonPropertyDescription(
      "Revisions a migration to the target would apply (or undo, for a downgrade), in order.")
  private List<String> pendingRevisions = new ArrayList<>();

  @JsonPropertyDescription("The last plan: when, with which Job, and what it found.")
  private PlanStatus lastPlan;

  @JsonPropertyDescription("The last successful backup.")
  private BackupStatus lastBackup;

  @JsonPropertyDescription(
      "Set when Tidemark adopted an existing schema without history (spec.baseline): the revision, when, and the Job.")
  private BaselineStatus baseline;

  @JsonPropertyDescription(
      "With spec.approval Manual: the change waiting for approval, or the last one approved.")
  private ApprovalStatus approval;

  @JsonPropertyDescription("The last migrate, undo or restore run.")
  private RunStatus lastRun;

  @JsonPropertyDescription(
      "The last change of revision, whose application rollout is watched for spec.rollback.onFailedRollout.window.")
  private RolloutWatchStatus rolloutWatch;

  @JsonPropertyDescription("Revisions applied, undone or restored, newest first (bounded).")
  private List<HistoryEntry> history = new ArrayList<>();

  @JsonPropertyDescription(
      "The last failure, which holds the flow until a new generation, a new db.tidemark.io/retry value, or (for a transient cause) the retry backoff.")
  private FailureStatus lastFailure;

  @JsonPropertyDescription(
      "Retries after transient failures so far; part of the Job names of the retried flow.")
  private Integer attempt;

  @JsonPropertyDescription(
      "Consecutive failures of transient cause (cannot connect), for the capped retry backoff.")
  private Integer transientFailures;

  @SchemaFrom(type = ConditionList.class)
  @ListMapKeys("type")
  @JsonPropertyDescription(
      "Ready, Progressing, Degraded and Drifted conditions, Kubernetes style (type, status, reason, message, lastTransitionTime, observedGeneration); at most one of each type.")
  private List<Condition> conditions = new ArrayList<>();
}
