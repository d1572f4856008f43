package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.changed;
import static io.tidemark.operator.reconcile.FlowFixture.failure;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec.RollbackStrategy;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.WatchState;
import io.tidemark.operator.rollout.WorkloadState;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollbackStepTest {
  private final FlowFixture f = new FlowFixture();

  /** Upgraded from 1 to 2 with the rollout of Deployment web watched; then web's rollout fails. */
  private void rolloutFailed(RollbackStrategy strategy) {
    f.watchRollouts(strategy, "web");
    f.workloads.put("web", new WorkloadState(1, Optional.empty(), true, true));
    f.migrateTo("1", "2");
    assertThat(f.status().getRolloutWatch().getState()).isEqualTo(WatchState.WATCHING);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
    f.workloads.put(
        "web",
        new WorkloadState(
            2, Optional.of("Deployment web exceeded its progress deadline"), false, false));
    assertThat(f.reconcile()).isEqualTo(ReadyStep.ROLLBACK_START);
  }

  /**
   * After {@link #rolloutFailed}: the rollback's backup is taken; returns its undo or restore Job.
   */
  private String backedUpForRollback(Step step) {
    f.reconcile();
    f.succeed(f.job(Step.BACKUP), backup("shop_todo_r2.dump"));
    f.reconcile();
    return f.job(step);
  }

  @Test
  void aFailedRolloutIsRecordedBeforeTheRollbackStarts() {
    rolloutFailed(RollbackStrategy.Undo);

    assertThat(f.status().getPhase()).isEqualTo(Phase.RollingBack);
    assertThat(f.status().getRolloutWatch().getState()).isEqualTo(WatchState.FAILED);
    assertThat(f.status().getRolloutWatch().getMessage())
        .startsWith("Deployment web exceeded its progress deadline");
    assertThat(f.events).contains("RolloutFailed");
    assertThat(f.cluster.keySet()).noneMatch(n -> n.contains("-undo-"));
  }

  @Test
  void undoBacksUpThenUndoesAndHoldsUntilAPersonDecides() {
    rolloutFailed(RollbackStrategy.Undo);
    String undo = backedUpForRollback(Step.UNDO);
    assertThat(f.status().getLastRun().getAction()).isEqualTo(RunAction.UNDO);
    assertThat(f.status().getRolloutWatch().getRollbackJob()).isEqualTo(undo);
    assertThat(f.status().getPhase()).isEqualTo(Phase.RollingBack);

    f.succeed(undo, changed("undo", "1", "2"));
    f.reconcile();
    assertThat(f.status().getHistory().get(0).getAction()).isEqualTo(HistoryAction.UNDONE);
    assertThat(f.status().getHistory().get(0).getReason()).contains("progress deadline");
    assertThat(f.status().getRolloutWatch().getState()).isEqualTo(WatchState.ROLLED_BACK);
    assertThat(f.events).contains("RolledBack");

    f.succeed(f.job(Step.PLAN), plan("1", "2", "up", "2"));
    f.reconcile();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Blocked);
    assertThat(Conditions.get(f.status(), Conditions.READY).orElseThrow().getReason())
        .isEqualTo("RolledBack");
    int jobs = f.created.size();
    f.reconcile();
    assertThat(f.created).hasSize(jobs);

    f.retryAnnotation("go");
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("1", "2", "up", "2"));
    f.reconcile();
    assertThat(f.job(Step.BACKUP)).isNotNull();
  }

  @Test
  void restoreRestoresTheBackupTakenBeforeTheUpgrade() {
    rolloutFailed(RollbackStrategy.Restore);

    String restore = backedUpForRollback(Step.RESTORE);
    var env =
        f.cluster.get(restore).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .anyMatch(
            e -> e.getName().equals("BACKUP_FILE") && e.getValue().equals("shop_todo_r1.dump"));
    f.succeed(restore, "{\"v\":1,\"command\":\"restore\",\"ok\":true,\"exit\":0}");
    f.reconcile();
    assertThat(f.status().getCurrentRevision()).isEqualTo("1");
    assertThat(f.status().getHistory().get(0).getAction()).isEqualTo(HistoryAction.RESTORED);
  }

  @Test
  void aFailedRollbackIsRetriedWithNewJobsOnTheRetryAnnotation() {
    rolloutFailed(RollbackStrategy.Undo);
    f.resource.getSpec().getBackup().setEnabled(false);
    f.reconcile();
    String first = f.job(Step.UNDO);
    f.fail(first, failure("undo", 1, "MigrationFailed", "U2 failed", "2"));
    f.reconcile();
    assertThat(f.status().getRolloutWatch().getState()).isEqualTo(WatchState.ROLLBACK_FAILED);
    assertThat(f.status().getLastFailure().getReason()).isEqualTo("RollbackFailed");
    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);

    f.retryAnnotation("again");
    f.reconcile();

    String second = f.job(Step.UNDO);
    assertThat(second).isNotEqualTo(first);
    assertThat(f.status().getRolloutWatch().getAttempt()).isEqualTo(1);
  }

  @Test
  void aNewSpecAfterAFailedRollbackIsFollowedInstead() {
    rolloutFailed(RollbackStrategy.Undo);
    f.resource.getSpec().getBackup().setEnabled(false);
    f.reconcile();
    f.fail(f.job(Step.UNDO), failure("undo", 1, "MigrationFailed", "U2 failed", "2"));
    f.reconcile();

    f.newGeneration();
    f.reconcile();

    assertThat(f.status().getRolloutWatch().getState()).isEqualTo(WatchState.SUPERSEDED);
    assertThat(f.job(Step.PLAN)).isNotNull();
  }

  @Test
  void aCompletedRolloutVerifiesTheUpgrade() {
    f.watchRollouts(RollbackStrategy.Undo, "web");
    f.workloads.put("web", new WorkloadState(1, Optional.empty(), true, true));
    f.migrateTo("1", "2");
    f.workloads.put("web", new WorkloadState(2, Optional.empty(), true, true));

    Duration recheck = f.reconcile();

    assertThat(f.status().getRolloutWatch().getState()).isEqualTo(WatchState.VERIFIED);
    assertThat(f.events).contains("RolloutVerified");
    assertThat(recheck).isEqualTo(f.settings.replanInterval());
  }
}
