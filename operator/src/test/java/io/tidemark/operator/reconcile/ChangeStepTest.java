package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.changed;
import static io.tidemark.operator.reconcile.FlowFixture.failure;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static io.tidemark.operator.reconcile.FlowFixture.planWithoutUndo;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec.RollbackStrategy;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.RunOutcome;
import org.junit.jupiter.api.Test;

class ChangeStepTest {
  private final FlowFixture f = new FlowFixture();

  private String planned(String report) {
    return f.planned(report);
  }

  @Test
  void anUpgradeIsBackedUpThenMigratedWithJobsNamedAfterThePlan() {
    String plan = planned(plan("1", "3", "up", "2", "3"));

    String backupJob = JobNames.of("todo", "uid-todo", Step.BACKUP, plan);
    assertThat(f.created).containsExactly(plan, backupJob);
    assertThat(f.status().getPhase()).isEqualTo(Phase.BackingUp);

    f.succeed(backupJob, backup("shop_todo_r1.dump"));
    f.reconcile();
    String migrateJob = JobNames.of("todo", "uid-todo", Step.MIGRATE, plan);
    assertThat(f.created).containsExactly(plan, backupJob, migrateJob);
    assertThat(f.status().getLastBackup().getFile()).isEqualTo("shop_todo_r1.dump");
    assertThat(f.status().getLastRun().getOutcome()).isEqualTo(RunOutcome.RUNNING);
    assertThat(f.status().getLastRun().getAction()).isEqualTo(RunAction.MIGRATE);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Migrating);

    f.succeed(migrateJob, changed("migrate", "3", "2", "3"));
    f.reconcile();
    var status = f.status();
    assertThat(status.getLastRun().getOutcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(status.getLastRun().getMessage()).isEqualTo("Applied 2, 3; now at revision 3");
    assertThat(status.getHistory()).hasSize(1);
    assertThat(status.getHistory().get(0).getAction()).isEqualTo(HistoryAction.APPLIED);
    assertThat(status.getHistory().get(0).getRevisions()).containsExactly("2", "3");
    // The change starts a new flow, whose plan confirms it.
    assertThat(f.job(Step.PLAN))
        .isEqualTo(JobNames.of("todo", "uid-todo", Step.PLAN, "g1|r|a0|c" + migrateJob));
    // Events say what happened, not what started (the status shows that).
    assertThat(f.events).containsExactly("Planned", "BackupCompleted", "Migrated");
  }

  @Test
  void withoutBackupsTheMigrationFollowsThePlan() {
    f.resource.getSpec().getBackup().setEnabled(false);
    String plan = planned(plan("1", "2", "up", "2"));

    assertThat(f.created)
        .containsExactly(plan, JobNames.of("todo", "uid-todo", Step.MIGRATE, plan));
  }

  @Test
  void aDowngradeUndoes() {
    f.resource.getSpec().setAllowDowngrade(true);
    String plan = planned(plan("3", "2", "down", "3"));
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();

    String undo = f.job(Step.UNDO);
    assertThat(undo).isEqualTo(JobNames.of("todo", "uid-todo", Step.UNDO, plan));
    f.succeed(undo, changed("undo", "2", "3"));
    f.reconcile();
    assertThat(f.status().getHistory().get(0).getAction()).isEqualTo(HistoryAction.UNDONE);
    assertThat(f.events).contains("Undone");
  }

  @Test
  void aDowngradeWithoutUndoScriptsChangesNothing() {
    f.resource.getSpec().setAllowDowngrade(true);
    planned(planWithoutUndo("3", "2", "down", "3"));

    assertThat(f.status().getLastFailure().getReason()).isEqualTo("UndoScriptMissing");
    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(f.created).hasSize(1);
  }

  @Test
  void anUpgradeThatCouldNotBeUndoneOnAFailedRolloutIsRefused() {
    f.watchRollouts(RollbackStrategy.Undo, "web");
    planned(planWithoutUndo("1", "2", "up", "2"));

    assertThat(f.status().getLastFailure().getReason()).isEqualTo("NoWayBack");
    assertThat(f.created).hasSize(1);
  }

  @Test
  void aFailedBackupStopsTheChange() {
    planned(plan("1", "2", "up", "2"));
    f.fail(f.job(Step.BACKUP), "pg_dump: error: could not write: No space left on device");

    f.reconcile();

    assertThat(f.status().getLastFailure().getReason()).isEqualTo("BackupFailed");
    assertThat(f.status().getLastFailure().getMessage()).contains("No space left on device");
    assertThat(f.cluster.keySet()).noneMatch(n -> n.contains("-migrate-"));
  }

  @Test
  void aFailedMigrationIsRecordedAndHeldUntilTheRetryAnnotation() {
    planned(plan("1", "3", "up", "2", "3"));
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();
    f.fail(
        f.job(Step.MIGRATE),
        failure("migrate", 1, "MigrationFailed", "V3 failed: syntax error", "2"));

    f.reconcile();
    var status = f.status();
    assertThat(status.getLastRun().getOutcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(status.getLastRun().getMessage())
        .isEqualTo(
            "Migration from 1 to 3 failed: V3 failed: syntax error. "
                + "The database is at revision 2.");
    assertThat(status.getCurrentRevision()).isEqualTo("2");
    assertThat(status.getLastFailure().getReason()).isEqualTo("MigrationFailed");
    int jobs = f.created.size();
    f.reconcile();
    assertThat(f.created).hasSize(jobs);

    f.retryAnnotation("1");
    f.reconcile();
    assertThat(f.created).hasSize(jobs + 1);
    assertThat(f.job(Step.PLAN)).isNotNull();
  }

  @Test
  void aMigrationThatEndsWithoutSayingWhereTheDatabaseIsLeavesTheRevisionUnknown() {
    planned(plan("1", "3", "up", "2", "3"));
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();
    // The runner was killed: no report, only the Job's failure.
    f.fail(f.job(Step.MIGRATE), null);

    f.reconcile();
    var status = f.status();
    assertThat(status.getCurrentRevision()).as("not the revision the change started from").isNull();
    assertThat(status.getLastRun().getMessage())
        .startsWith("Migration from 1 to 3 failed")
        .endsWith(
            "The revision the database is at is not known (the runner did not report it); the next plan reads it.")
        .doesNotContain("database is at revision 1");
  }

  @Test
  void aReportThatCouldNotReadTheDatabaseAfterTheFailureIsRepeatedNotContradicted() {
    planned(plan("1", "3", "up", "2", "3"));
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();
    f.fail(
        f.job(Step.MIGRATE),
        failure(
            "migrate",
            1,
            "MigrationFailed",
            "V2 failed: terminating connection;"
                + " the revision the database is at could not be read afterwards; the next plan reads it",
            null));

    f.reconcile();
    assertThat(f.status().getCurrentRevision()).isNull();
    assertThat(f.status().getLastRun().getMessage())
        .endsWith("the next plan reads it")
        .doesNotContain("The database is at revision");
  }

  @Test
  void aJobTheApiServerRefusesIsAFailureAndNoRun() {
    planned(plan("1", "2", "up", "2"));
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.refuseNext = "exceeded quota: jobs";
    var run = f.status().getLastRun();

    f.reconcile();

    assertThat(f.status().getLastFailure().getReason()).isEqualTo("JobRejected");
    assertThat(f.status().getLastRun()).as("no migrate ran").isEqualTo(run);
    assertThat(f.status().getLastFailure().getMessage()).contains("exceeded quota: jobs");
  }

  @Test
  void revisionsThatCommittedBeforeAFailureEnterTheHistoryAndTheFailureStillHolds() {
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("1", "4", "up", "2", "3", "4"));
    f.reconcile();
    f.succeed(f.job(Step.BACKUP), backup("shop_todo_r1.dump"));
    f.reconcile();
    String migrate = f.job(Step.MIGRATE);
    f.fail(
        migrate,
        "{\"v\":1,\"command\":\"migrate\",\"ok\":false,\"exit\":1,\"reason\":\"MigrationFailed\","
            + "\"message\":\"V4__x.sql failed\",\"current\":\"3\",\"failed\":\"4\",\"revisions\":[\"2\",\"3\"]}");
    f.reconcile();

    assertThat(f.status().getCurrentRevision()).isEqualTo("3");
    var entry = f.status().getHistory().get(0);
    assertThat(entry.getAction()).isEqualTo(HistoryAction.APPLIED);
    assertThat(entry.getFrom()).isEqualTo("1");
    assertThat(entry.getTo()).isEqualTo("3");
    assertThat(entry.getRevisions()).containsExactly("2", "3");
    assertThat(entry.getJob()).isEqualTo(migrate);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);
    int jobs = f.created.size();
    f.reconcile();
    assertThat(f.created).as("the failure holds: nothing runs again").hasSize(jobs);

    // The next plan finds the database where Tidemark's own history says: no drift.
    f.retryAnnotation("go");
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("3", "4", "up", "4"));
    f.reconcile();
    assertThat(f.events).doesNotContain("SchemaDrift");
  }
}
