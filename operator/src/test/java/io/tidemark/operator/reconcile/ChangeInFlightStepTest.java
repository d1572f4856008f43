package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.changed;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RunOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChangeInFlightStepTest {
  private final FlowFixture f = new FlowFixture();

  /** Plans an upgrade from 1 to 3 and starts its migration; returns the migrate Job. */
  private String migrating() {
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("1", "3", "up", "2", "3"));
    f.reconcile();
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();
    return f.job(Step.MIGRATE);
  }

  @Test
  void aRunningChangeIsWaitedFor() {
    String job = migrating();

    assertThat(f.reconcile()).isEqualTo(FlowContext.RUNNING_RECHECK);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Migrating);
    assertThat(f.status().getLastRun().getJob()).isEqualTo(job);
  }

  @Test
  void aNewGenerationDuringAChangeWaitsForItsResultFirst() {
    String job = migrating();
    f.newGeneration();
    f.resource.getSpec().setTargetRevision("2");
    int jobs = f.created.size();

    f.reconcile();
    assertThat(f.created).hasSize(jobs);

    f.succeed(job, changed("migrate", "3", "2", "3"));
    f.reconcile();
    assertThat(f.status().getHistory().get(0).getAction()).isEqualTo(HistoryAction.APPLIED);
    assertThat(f.status().getCurrentRevision()).isEqualTo("3");
    // The result is recorded; only then the new generation's plan starts.
    assertThat(f.job(Step.PLAN)).isNotNull();
    assertThat(FlowKey.of(f.resource, f.status()).generation()).isEqualTo(2);
  }

  @Test
  void aChangeJobDeletedBeforeItEndedIsAFailureNeverRunAgain() {
    String job = migrating();
    f.cluster.remove(job);

    f.reconcile();

    var status = f.status();
    assertThat(status.getLastRun().getOutcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(status.getLastFailure().getReason()).isEqualTo("JobDeleted");
    assertThat(status.getLastFailure().getMessage()).contains("any revision from 1 to 3");
    assertThat(status.getCurrentRevision()).as("unknown, not the starting revision").isNull();
    // One plan reads where the database is (RevisionReadingTest); the change itself never runs
    // again.
    String reading = f.job(io.tidemark.operator.jobs.Step.PLAN);
    f.succeed(reading, FlowFixture.plan("2", "3", "up", "3"));
    f.reconcile();
    assertThat(f.status().getCurrentRevision()).isEqualTo("2");
    int jobs = f.created.size();
    f.reconcile();
    assertThat(f.created).hasSize(jobs);
    assertThat(f.created).filteredOn(n -> n.contains("-migrate-")).hasSize(1);
  }

  @Test
  void aChangeJobWhosePodCannotStartIsRetriedWithBackoff() {
    String job = migrating();
    f.cannotStart(job);

    assertThat(f.reconcile()).isEqualTo(Duration.ofSeconds(10));

    assertThat(f.status().getLastFailure().getReason()).isEqualTo("ImagePullFailed");
    assertThat(f.status().getLastFailure().getTransientFailure()).isTrue();
    assertThat(f.status().getLastRun().getOutcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(f.deleted).containsExactly(job);
  }

  @Test
  void aFinishedJobIsJudgedOnlyOnceItsPodsFinalStatusIsSeen() {
    String job = migrating();
    f.succeed(job, changed("migrate", "3", "2", "3"));
    var pod = f.pods.remove(job);

    assertThat(f.reconcile()).isEqualTo(FlowContext.RUNNING_RECHECK);
    assertThat(f.status().getLastRun().getOutcome()).isEqualTo(RunOutcome.RUNNING);

    f.pods.put(job, pod);
    f.reconcile();
    assertThat(f.status().getLastRun().getOutcome()).isEqualTo(RunOutcome.SUCCEEDED);
  }

  @Test
  void aFinishedJobWhosePodIsLongGoneIsJudgedWithoutItsReport() {
    String job = migrating();
    f.succeed(job, changed("migrate", "3", "2", "3"));
    f.pods.remove(job);
    f.advance(Duration.ofMinutes(2));

    f.reconcile();

    assertThat(f.status().getLastRun().getOutcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(f.status().getLastFailure().getReason()).isEqualTo("MigrationFailed");
  }
}
