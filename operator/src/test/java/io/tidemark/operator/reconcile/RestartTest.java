package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.changed;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * An operator that dies between two steps (after it created a Job, before its status patch) and one
 * that restarts after the patch both compute the same Job names, and never create a second Job.
 */
class RestartTest {

  /** The steps of an upgrade, each a change to the world followed by a reconcile. */
  private static final List<Consumer<FlowFixture>> UPGRADE =
      List.of(
          f -> {},
          f -> f.succeed(f.job(Step.PLAN), plan("1", "2", "up", "2")),
          f -> f.succeed(f.job(Step.BACKUP), backup("b.dump")),
          f -> f.succeed(f.job(Step.MIGRATE), changed("migrate", "2", "2")),
          f -> f.succeed(f.job(Step.PLAN), plan("2", "2", "none")));

  @Test
  void aStatusPatchLostBetweenAnyTwoStepsCreatesNoSecondJob() {
    for (int lost = 0; lost < UPGRADE.size(); lost++) {
      FlowFixture f = new FlowFixture();
      for (int i = 0; i < UPGRADE.size(); i++) {
        UPGRADE.get(i).accept(f);
        DatabaseSchemaStatus before = f.status() == null ? null : Serialization.clone(f.status());
        f.reconcile();
        if (i == lost) {
          // The operator died before the patch: the next one starts from the status as it was.
          f.resource.setStatus(before);
          f.reconcile();
        }
      }
      assertThat(f.created).as("patch lost after step %d", lost).doesNotHaveDuplicates().hasSize(4);
      assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
      assertThat(f.status().getHistory()).hasSize(1);
    }
  }

  @Test
  void aRestartAfterEveryStepComputesTheSameJobNames() {
    FlowFixture once = new FlowFixture();
    FlowFixture restarted = new FlowFixture();
    for (Consumer<FlowFixture> step : UPGRADE) {
      step.accept(once);
      once.reconcile();
      step.accept(restarted);
      restarted.reconcile();
      restarted.reconcile();
    }
    assertThat(restarted.created).isEqualTo(once.created);
    assertThat(new ArrayList<>(restarted.cluster.keySet()))
        .isEqualTo(new ArrayList<>(once.cluster.keySet()));
  }
}
