package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.failure;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A change that fails without saying where the database is: one plan reads the revision, and the
 * failure keeps holding (nothing runs again until a person acts).
 */
class RevisionReadingTest {
  private final FlowFixture f = new FlowFixture();

  /** From 1 towards 3; the migrate Job's runner is killed: no report. */
  private void migrationKilled() {
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("1", "3", "up", "2", "3"));
    f.reconcile();
    f.succeed(f.job(Step.BACKUP), backup("shop_todo_r1.dump"));
    f.reconcile();
    f.fail(f.job(Step.MIGRATE), "Killed");
    f.reconcile();
  }

  @Test
  void onePlanReadsTheRevisionAndTheFailureKeepsHolding() {
    migrationKilled();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);
    String reading = f.job(Step.PLAN);
    assertThat(f.status().getCurrentRevision()).isNull();
    f.reconcile();
    assertThat(f.status().getPhase())
        .as("while the reading runs, still Failed")
        .isEqualTo(Phase.Failed);

    f.succeed(reading, plan("2", "3", "up", "3"));
    f.reconcile();

    assertThat(f.status().getCurrentRevision()).isEqualTo("2");
    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(f.status().getLastFailure().getMessage())
        .contains("read the database afterwards: it is at revision 2");
    int jobs = f.created.size();
    f.advance(Duration.ofHours(2));
    f.reconcile();
    f.reconcile();
    assertThat(f.created).as("held: no backup, no migration, no second reading").hasSize(jobs);
    assertThat(f.status().getLastPlan().getJob())
        .as("the reading is not the flow's plan")
        .isNotEqualTo(reading);
  }

  @Test
  void aReadingThatFailsWithoutAReportIsNotTriedAgain() {
    migrationKilled();
    f.fail(f.job(Step.PLAN), "connection refused");
    f.reconcile();
    f.reconcile();
    assertThat(f.status().getCurrentRevision()).isNull();
    assertThat(f.created.stream().filter(n -> n.contains("-plan-")).count()).isEqualTo(2);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);
  }

  @Test
  void aPlanThatFailsStillSaysWhereTheDatabaseIs() {
    migrationKilled();
    f.fail(
        f.job(Step.PLAN),
        failure("plan", 1, "RevisionFailedPartway", "V2__x.sql failed part-way earlier", "1"));
    f.reconcile();
    assertThat(f.status().getCurrentRevision()).isEqualTo("1");
  }

  @Test
  void theRetryAnnotationStartsAFreshFlowFromThere() {
    migrationKilled();
    f.succeed(f.job(Step.PLAN), plan("2", "3", "up", "3"));
    f.reconcile();
    f.retryAnnotation("go");
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("2", "3", "up", "3"));
    f.reconcile();
    assertThat(f.job(Step.BACKUP)).isNotNull();
    assertThat(f.status().getPhase()).isNotEqualTo(Phase.Failed);
  }
}
