package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.changed;
import static io.tidemark.operator.reconcile.FlowFixture.failure;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A revision that failed part-way outside a transaction holds the resource until a person acts; the
 * next flow clears it (the runner's --clear-failed on its plan and migrate Jobs), and only that
 * flow does.
 */
class PartialRevisionClearanceTest {
  private final FlowFixture f = new FlowFixture();

  private List<String> args(String job) {
    Job j = f.cluster.get(job);
    return j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  /** Planned from 1 towards 3 and backed up: the migrate Job is next. */
  private void plannedAndBackedUp() {
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("1", "3", "up", "2", "3"));
    f.reconcile();
    f.succeed(f.job(Step.BACKUP), backup("shop_todo_r1.dump"));
    f.reconcile();
  }

  /** From 1 towards 3; revision 2 (CREATE INDEX CONCURRENTLY) fails part-way. */
  private void revisionTwoFailsPartway() {
    plannedAndBackedUp();
    f.fail(
        f.job(Step.MIGRATE),
        failure(
                "migrate",
                1,
                "RevisionFailedPartway",
                "V2__index.sql failed (SQLState 55P03): lock timeout; left behind: invalid index public.tasks_title",
                "1")
            .replace("\"reason\"", "\"failed\":\"2\",\"reason\""));
    f.reconcile();
  }

  @Test
  void theFailureSaysWhatIsLeftAndHoldsUntilAPersonActs() {
    revisionTwoFailsPartway();

    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(f.status().getLastFailure().getReason()).isEqualTo("RevisionFailedPartway");
    assertThat(f.status().getLastFailure().getRevision()).isEqualTo("2");
    assertThat(f.status().getLastFailure().getMessage())
        .contains("invalid index public.tasks_title", "db.tidemark.io/retry", "undo script");
    assertThat(f.status().getCurrentRevision()).isEqualTo("1");
    int jobs = f.created.size();
    f.advance(java.time.Duration.ofHours(1));
    f.reconcile();
    assertThat(f.created).as("held: nothing runs again on its own").hasSize(jobs);
  }

  @Test
  void theRetryAnnotationClearsTheRevisionThenMigratesAndOnlyThatFlowClears() {
    revisionTwoFailsPartway();
    f.advance(java.time.Duration.ofMinutes(5));
    f.retryAnnotation("clear-2");
    f.reconcile();

    String plan = f.job(Step.PLAN);
    assertThat(args(plan)).containsSequence("--clear-failed", "2");
    f.succeed(plan, plan("1", "3", "up", "2", "3"));
    f.reconcile();
    f.succeed(f.job(Step.BACKUP), backup("shop_todo_r1b.dump"));
    f.reconcile();
    String migrate = f.job(Step.MIGRATE);
    assertThat(args(migrate)).containsSequence("--clear-failed", "2");
    f.succeed(migrate, changed("migrate", "3", "2", "3"));
    f.reconcile();
    String confirm = f.job(Step.PLAN);
    f.succeed(confirm, plan("3", "3", "none"));
    f.reconcile();

    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(f.status().getLastFailure()).isNull();
    assertThat(f.status().getCurrentRevision()).isEqualTo("3");
    assertThat(args(confirm))
        .as("once cleared, no later Job asks again")
        .doesNotContain("--clear-failed");
  }

  @Test
  void otherFailuresAreNeverCleared() {
    plannedAndBackedUp();
    f.fail(
        f.job(Step.MIGRATE),
        failure("migrate", 1, "MigrationFailed", "V2__x.sql failed: syntax error", "1")
            .replace("\"reason\"", "\"failed\":\"2\",\"reason\""));
    f.reconcile();
    f.retryAnnotation("again");
    f.reconcile();
    assertThat(args(f.job(Step.PLAN))).doesNotContain("--clear-failed");
  }
}
