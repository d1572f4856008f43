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
import java.util.Objects;

/** What Tidemark last observed and did. Never holds a secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getCurrentRevision() {
    return currentRevision;
  }

  public void setCurrentRevision(String currentRevision) {
    this.currentRevision = currentRevision;
  }

  public String getTargetRevision() {
    return targetRevision;
  }

  public void setTargetRevision(String targetRevision) {
    this.targetRevision = targetRevision;
  }

  public String getLatestRevision() {
    return latestRevision;
  }

  public void setLatestRevision(String latestRevision) {
    this.latestRevision = latestRevision;
  }

  public List<String> getPendingRevisions() {
    return pendingRevisions;
  }

  public void setPendingRevisions(List<String> pendingRevisions) {
    this.pendingRevisions = pendingRevisions;
  }

  public PlanStatus getLastPlan() {
    return lastPlan;
  }

  public void setLastPlan(PlanStatus lastPlan) {
    this.lastPlan = lastPlan;
  }

  public BackupStatus getLastBackup() {
    return lastBackup;
  }

  public void setLastBackup(BackupStatus lastBackup) {
    this.lastBackup = lastBackup;
  }

  public RunStatus getLastRun() {
    return lastRun;
  }

  public void setLastRun(RunStatus lastRun) {
    this.lastRun = lastRun;
  }

  public RolloutWatchStatus getRolloutWatch() {
    return rolloutWatch;
  }

  public void setRolloutWatch(RolloutWatchStatus rolloutWatch) {
    this.rolloutWatch = rolloutWatch;
  }

  public List<HistoryEntry> getHistory() {
    return history;
  }

  public void setHistory(List<HistoryEntry> history) {
    this.history = history;
  }

  public FailureStatus getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(FailureStatus lastFailure) {
    this.lastFailure = lastFailure;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public Integer getTransientFailures() {
    return transientFailures;
  }

  public void setTransientFailures(Integer transientFailures) {
    this.transientFailures = transientFailures;
  }

  public ApprovalStatus getApproval() {
    return approval;
  }

  public void setApproval(ApprovalStatus approval) {
    this.approval = approval;
  }

  public BaselineStatus getBaseline() {
    return baseline;
  }

  public void setBaseline(BaselineStatus baseline) {
    this.baseline = baseline;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DatabaseSchemaStatus that)) {
      return false;
    }
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(phase, that.phase)
        && Objects.equals(currentRevision, that.currentRevision)
        && Objects.equals(targetRevision, that.targetRevision)
        && Objects.equals(latestRevision, that.latestRevision)
        && Objects.equals(pendingRevisions, that.pendingRevisions)
        && Objects.equals(lastPlan, that.lastPlan)
        && Objects.equals(lastBackup, that.lastBackup)
        && Objects.equals(baseline, that.baseline)
        && Objects.equals(approval, that.approval)
        && Objects.equals(lastRun, that.lastRun)
        && Objects.equals(rolloutWatch, that.rolloutWatch)
        && Objects.equals(history, that.history)
        && Objects.equals(lastFailure, that.lastFailure)
        && Objects.equals(attempt, that.attempt)
        && Objects.equals(transientFailures, that.transientFailures)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        phase,
        currentRevision,
        targetRevision,
        latestRevision,
        pendingRevisions,
        lastPlan,
        lastBackup,
        baseline,
        approval,
        lastRun,
        rolloutWatch,
        history,
        lastFailure,
        attempt,
        transientFailures,
        conditions);
  }
}
