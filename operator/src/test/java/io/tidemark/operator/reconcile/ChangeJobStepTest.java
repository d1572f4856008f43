package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.ApprovalPolicy;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.RunOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The change in one Job: one Pod plans, backs up and migrates or undoes, and its report is recorded
 * stage by stage as the separate Jobs' reports were. No API server, database or runner: Jobs and
 * their reports are the fixture's.
 */
class ChangeJobStepTest {
  private final FlowFixture f = new FlowFixture();

  ChangeJobStepTest() {
    f.settings = OperatorSettings.defaults();
  }

  /**
   * The report of a change Job that backed up, then applied {@code revisions} from {@code from}.
   */
  static String upgraded(String from, String... revisions) {
    return report(
        true,
        null,
        from,
        revisions[revisions.length - 1],
        revisions[revisions.length - 1],
        "up",
        List.of(revisions),
        "plan:true",
        "backup:true",
        "migrate:true:" + revisions.length);
  }

  /**
   * The report of a change Job from 1 towards 3 that failed for {@code reason} at {@code current}.
   */
  static String failedUpgradeFrom1To3(String reason, String current, String... stages) {
    return report(false, reason, "1", current, "3", "up", List.of("2", "3"), stages);
  }

  /** A change command's report: its stages as name:ok[:count], then the fields. */
  static String report(
      boolean ok,
      String reason,
      String from,
      String current,
      String target,
      String direction,
      List<String> revisions,
      String... stages) {
    StringBuilder s = new StringBuilder("{\"v\":1,\"command\":\"change\",\"ok\":" + ok);
    s.append(",\"exit\":").append(ok ? 0 : 1);
    if (reason != null) {
      s.append(",\"reason\":\"").append(reason).append("\",\"message\":\"it said why\"");
    }
    if (current != null) {
      s.append(",\"current\":\"").append(current).append('"');
    }
    s.append(",\"target\":\"").append(target).append("\",\"latest\":\"").append(target);
    s.append("\",\"direction\":\"").append(direction).append("\",\"revisions\":[");
    s.append(String.join(",", revisions.stream().map(r -> "\"" + r + "\"").toList()));
    s.append("],\"undoMissing\":[],\"server\":\"15.19\",\"digest\":\"sha256:0123456789abcdef\"");
    if (List.of(stages).stream().anyMatch(st -> st.startsWith("backup:true"))) {
      s.append(",\"file\":\"shop_todo_20260105T100000Z_r").append(from).append(".dump\"");
      s.append(",\"sizeBytes\":4321");
    }
    s.append(",\"from\":\"").append(from).append("\",\"stages\":[");
    for (int i = 0; i < stages.length; i++) {
      String[] p = stages[i].split(":");
      s.append(i == 0 ? "" : ",").append("{\"name\":\"").append(p[0]).append("\",\"ok\":");
      s.append(p[1]).append(",\"ms\":10");
      if (p.length > 2) {
        s.append(",\"count\":").append(p[2]);
      }
      s.append('}');
    }
    return s.append("]}").toString();
  }

  private Job created(String name) {
    return f.cluster.get(name);
  }

  @Test
  void anUpgradeIsOneJobThatPlansBacksUpAndMigratesAndIsRecordedStageByStage() {
    f.reconcile();
    String job = f.job(Step.CHANGE);
    assertThat(job).isEqualTo(JobNames.of("todo", "uid-todo", Step.CHANGE, "g1|r|a0|c"));
    assertThat(f.created).containsExactly(job);
    List<String> args =
        created(job).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(args).startsWith("change").contains("--backup-dir", "/backups", "--backup-keep");
    assertThat(args).doesNotContain("--allow-downgrade", "--expect-digest");
    assertThat(created(job).getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getPersistentVolumeClaim() != null);
    assertThat(f.status().getLastRun().getAction()).isEqualTo(RunAction.CHANGE);
    assertThat(f.status().getLastRun().getOutcome()).isEqualTo(RunOutcome.RUNNING);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Migrating);
    assertThat(f.events).isEmpty();

    f.succeed(job, upgraded("1", "2", "3"));
    f.reconcile();
    var status = f.status();
    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getCurrentRevision()).isEqualTo("3");
    assertThat(status.getLastRun().getAction()).isEqualTo(RunAction.MIGRATE);
    assertThat(status.getLastRun().getOutcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(status.getLastRun().getFrom()).isEqualTo("1");
    assertThat(status.getLastRun().getMessage()).isEqualTo("Applied 2, 3; now at revision 3");
    assertThat(status.getHistory()).hasSize(1);
    assertThat(status.getHistory().get(0).getAction()).isEqualTo(HistoryAction.APPLIED);
    assertThat(status.getHistory().get(0).getRevisions()).containsExactly("2", "3");
    assertThat(status.getLastBackup().getJob()).isEqualTo(job);
    assertThat(status.getLastBackup().getRevision()).isEqualTo("1");
    assertThat(status.getLastBackup().getFile()).isEqualTo("shop_todo_20260105T100000Z_r1.dump");
    assertThat(status.getLastPlan().getDirection()).isEqualTo(Direction.NONE);
    assertThat(status.getPendingRevisions()).isEmpty();
    assertThat(f.events).containsExactly("BackupCompleted", "Migrated");

    // No confirming plan: the report said where the database is.
    f.reconcile();
    assertThat(f.created).containsExactly(job);
    assertThat(f.patched).isFalse();
  }

  @Test
  void aChangeJobThatFindsNothingToDoLeavesTheLastRunAsItWas() {
    f.reconcile();
    String first = f.job(Step.CHANGE);
    f.succeed(first, upgraded("1", "2"));
    f.reconcile();
    var run = f.status().getLastRun();

    f.newGeneration();
    f.reconcile();
    String second = f.job(Step.CHANGE);
    assertThat(f.status().getLastRun().getJob()).isEqualTo(second);
    f.succeed(second, report(true, null, "2", "2", "2", "none", List.of(), "plan:true"));
    f.reconcile();
    assertThat(f.status().getLastRun()).isEqualTo(run);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(f.status().getHistory()).hasSize(1);
    assertThat(f.events).endsWith("Planned");
  }

  @Test
  void aDowngradeTheRunnerRefusedHoldsAsBeforeAndNothingElseRuns() {
    f.resource.getSpec().setTargetRevision("1");
    f.reconcile();
    String job = f.job(Step.CHANGE);
    f.fail(
        job,
        report(
            false, "DowngradeNotAllowed", "3", "3", "1", "down", List.of("3", "2"), "plan:false"));
    f.reconcile();
    var status = f.status();
    assertThat(status.getPhase()).isEqualTo(Phase.Blocked);
    assertThat(status.getConditions())
        .anyMatch(c -> c.getType().equals("Ready") && c.getReason().equals("DowngradeNotAllowed"));
    assertThat(status.getPendingRevisions()).containsExactly("3", "2");
    assertThat(status.getLastRun()).isNull();
    f.reconcile();
    assertThat(f.created).containsExactly(job);
  }

  @Test
  void aFailedBackupRunsNoMigrationAndSaysSo() {
    f.reconcile();
    String job = f.job(Step.CHANGE);
    f.fail(job, failedUpgradeFrom1To3("BackupFailed", "1", "plan:true", "backup:false"));
    f.reconcile();
    var status = f.status();
    assertThat(status.getLastFailure().getReason()).isEqualTo("BackupFailed");
    assertThat(status.getLastFailure().getStep()).isEqualTo("backup");
    assertThat(status.getLastFailure().getMessage())
        .startsWith("Backup failed, so no migration ran: it said why");
    assertThat(status.getHistory()).isNullOrEmpty();
    assertThat(status.getLastRun()).isNull();
    assertThat(status.getLastBackup()).isNull();
    assertThat(status.getPhase()).isEqualTo(Phase.Failed);
    f.reconcile();
    assertThat(f.created).containsExactly(job);
  }

  @Test
  void aMigrationFailedPartWayRecordsWhatCommittedAndTheBackup() {
    f.reconcile();
    String job = f.job(Step.CHANGE);
    f.fail(
        job,
        failedUpgradeFrom1To3("MigrationFailed", "2", "plan:true", "backup:true", "migrate:false:1")
            .replace("\"ok\":false,", "\"ok\":false,\"failed\":\"3\","));
    f.reconcile();
    var status = f.status();
    assertThat(status.getLastRun().getAction()).isEqualTo(RunAction.MIGRATE);
    assertThat(status.getLastRun().getOutcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(status.getHistory().get(0).getRevisions()).containsExactly("2");
    assertThat(status.getCurrentRevision()).isEqualTo("2");
    assertThat(status.getLastFailure().getReason()).isEqualTo("MigrationFailed");
    assertThat(status.getLastFailure().getRevision()).isEqualTo("3");
    assertThat(status.getLastBackup().getRevision()).isEqualTo("1");
    f.reconcile();
    assertThat(f.created).containsExactly(job);
  }

  @Test
  void aNewSpecWhileTheJobRunsStillGetsItsResultRecordedOnceThenTheNewFlowStarts() {
    f.reconcile();
    String job = f.job(Step.CHANGE);
    f.resource.getSpec().setTargetRevision("4");
    f.newGeneration();
    f.reconcile(); // the change in flight comes first, whatever the spec says now
    assertThat(f.created).containsExactly(job);

    f.succeed(job, upgraded("1", "2", "3"));
    f.reconcile();
    assertThat(f.status().getHistory()).hasSize(1);
    String next = f.job(Step.CHANGE);
    assertThat(next).isNotEqualTo(job);
    // An operator that starts again reads the same status: nothing is recorded twice.
    f.reconcile();
    assertThat(f.status().getHistory()).hasSize(1);
    assertThat(f.created).containsExactly(job, next);
  }

  @Test
  void aRefusalOfAnEarlierSpecIsNotTheNewSpecsFailure() {
    f.resource.getSpec().setTargetRevision("1");
    f.reconcile();
    String job = f.job(Step.CHANGE);
    f.resource.getSpec().setTargetRevision("3");
    f.newGeneration();
    f.fail(
        job,
        report(false, "DowngradeNotAllowed", "2", "2", "1", "down", List.of("2"), "plan:false"));
    f.reconcile();
    assertThat(f.status().getLastFailure()).isNull();
    String next = f.job(Step.CHANGE);
    assertThat(f.created).containsExactly(job, next);
    assertThat(f.status().getLastRun().getJob()).isEqualTo(next);
  }

  @Test
  void aJobThatEndsWithoutAReportLeavesTheRevisionUnknownAndAPlanReadsIt() {
    f.reconcile();
    String job = f.job(Step.CHANGE);
    f.fail(job, "OOMKilled");
    f.reconcile();
    var status = f.status();
    assertThat(status.getCurrentRevision()).isNull();
    assertThat(status.getLastRun().getOutcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(status.getLastFailure().getStep()).isEqualTo("change");
    assertThat(status.getLastFailure().getMessage()).contains("may be at any revision");
    // The reading plan: reads, changes nothing.
    assertThat(f.job(Step.PLAN)).contains("plan");
  }

  @Test
  void withManualApprovalThePlanComesFirstThenOneChangeJobBoundToTheApprovedPlan() {
    f.resource.getSpec().setApproval(ApprovalPolicy.Manual);
    f.reconcile();
    String plan = f.job(Step.PLAN);
    f.succeed(plan, FlowFixture.plan("1", "3", "up", "2", "3"));
    f.reconcile();
    assertThat(f.status().getPhase()).isEqualTo(Phase.AwaitingApproval);
    f.annotate(DatabaseSchema.APPROVE_ANNOTATION, ApprovalGate.digest(f.status()));
    f.reconcile();
    String change = f.job(Step.CHANGE);
    assertThat(f.created).containsExactly(plan, change);
    List<String> args =
        created(change).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(args)
        .containsSubsequence("--expect-digest", "sha256:0123456789abcdef")
        .containsSubsequence("--expect-from", "1");
    assertThat(f.status().getLastRun().getAction()).isEqualTo(RunAction.MIGRATE);
  }

  @Test
  void aBackupImageOfItsOwnKeepsTheBackupInAJobOfItsOwn() {
    f.resource.getSpec().getBackup().setImage("registry.example.com/pg-tools:17");
    f.reconcile();
    String plan = f.job(Step.PLAN);
    f.succeed(plan, FlowFixture.plan("1", "3", "up", "2", "3"));
    f.reconcile();
    assertThat(f.job(Step.BACKUP)).isNotNull();
    assertThat(created(f.job(Step.BACKUP)).getMetadata().getLabels().get(JobFactory.LABEL_STEP))
        .isEqualTo("backup");
  }

  @Test
  void aStatusPatchLostAfterTheJobWasCreatedCreatesNoSecondJobAndRecordsItOnce() {
    var before = f.status();
    f.reconcile();
    String job = f.job(Step.CHANGE);
    // The operator died before its status patch: the next one starts from the status as it was.
    f.resource.setStatus(before);
    f.reconcile();
    assertThat(f.created).containsExactly(job);
    f.succeed(job, upgraded("0", "1", "2", "3"));
    f.reconcile();
    f.reconcile();
    assertThat(f.created).containsExactly(job);
    assertThat(f.status().getHistory()).hasSize(1);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(f.events).containsExactly("BackupCompleted", "Migrated");
  }

  @Test
  void aJobTheApiServerRefusesIsAFailureAndLeavesTheLastRunAsItWas() {
    f.reconcile();
    f.succeed(f.job(Step.CHANGE), upgraded("1", "2", "3"));
    f.reconcile();
    var run = f.status().getLastRun();
    assertThat(run.getOutcome()).isEqualTo(RunOutcome.SUCCEEDED);
    int jobs = f.created.size();

    f.resource.getSpec().setTargetRevision("4");
    f.newGeneration();
    f.refuseNext = "admission webhook denied the request";
    f.reconcile();
    var status = f.status();
    assertThat(f.created).hasSize(jobs);
    assertThat(status.getLastFailure().getReason()).isEqualTo("JobRejected");
    assertThat(status.getLastFailure().getMessage()).contains("admission webhook denied");
    assertThat(status.getLastRun()).as("no run happened").isEqualTo(run);
    f.reconcile();
    assertThat(f.created).hasSize(jobs);
  }

  @Test
  void revisionsTheReportCouldNotListAreStillCounted() {
    f.resource.getSpec().setTargetRevision("6");
    f.reconcile();
    String job = f.job(Step.CHANGE);
    // A long chain: the report (4 KiB) lists the first planned revisions and counts the rest.
    f.succeed(
        job,
        report(
                true,
                null,
                "1",
                "6",
                "6",
                "up",
                List.of("2", "3"),
                "plan:true",
                "backup:true",
                "migrate:true:5")
            .replace("\"ok\":true,", "\"ok\":true,\"truncated\":3,"));
    f.reconcile();
    assertThat(f.status().getCurrentRevision()).isEqualTo("6");
    assertThat(f.status().getLastRun().getMessage())
        .isEqualTo("Applied 2, 3 and 3 more; now at revision 6");
  }

  @Test
  void aChangeJobCreatedButNotYetCachedIsTakenOnNotForgotten() {
    f.reconcile();
    String job = f.job(Step.CHANGE);
    var running = f.status().getLastRun();
    // The status patch was lost and the informer has not seen the Job yet: creating it again
    // finds it there (409).
    f.resource.setStatus(new io.tidemark.operator.model.DatabaseSchemaStatus());
    f.notCached.add(job);
    f.reconcile();
    assertThat(f.created).containsExactly(job);
    assertThat(f.status().getLastRun().getJob()).isEqualTo(job);
    assertThat(f.status().getLastRun().getOutcome()).isEqualTo(RunOutcome.RUNNING);
    assertThat(f.status().getLastRun().getAction()).isEqualTo(running.getAction());

    f.notCached.clear();
    f.succeed(job, upgraded("0", "1", "2", "3"));
    f.reconcile();
    assertThat(f.created).containsExactly(job);
    assertThat(f.status().getHistory()).hasSize(1);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void anApprovedPlanThatChangedBeforeItsJobRanWaitsForANewApproval() {
    f.resource.getSpec().setApproval(ApprovalPolicy.Manual);
    f.reconcile();
    f.succeed(f.job(Step.PLAN), FlowFixture.plan("1", "3", "up", "2", "3"));
    f.reconcile();
    String approved = ApprovalGate.digest(f.status());
    f.annotate(DatabaseSchema.APPROVE_ANNOTATION, approved);
    f.reconcile();
    String change = f.job(Step.CHANGE);
    // Someone migrated to 2 in between: the Job's own plan starts elsewhere and it refuses.
    f.fail(change, report(false, "PlanChanged", "2", "2", "3", "up", List.of("3"), "plan:false"));
    f.reconcile();
    var status = f.status();
    assertThat(status.getPhase()).isEqualTo(Phase.AwaitingApproval);
    assertThat(ApprovalGate.digest(status)).isNotEqualTo(approved);
    assertThat(status.getCurrentRevision()).isEqualTo("2");
    assertThat(status.getHistory()).isNullOrEmpty();
    f.reconcile();
    assertThat(f.cluster).hasSize(2);
  }
}
