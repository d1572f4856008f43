package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.failure;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec.RollbackStrategy;
import io.tidemark.operator.model.WatchState;
import io.tidemark.operator.rollout.WorkloadState;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Anyone who may write the status subresource can store anything in it. Whatever is stored, a
 * reconcile decides something and never throws (which would repeat on every pass, forever).
 */
class HostileStatusTest {
  private final FlowFixture f = new FlowFixture();

  @Test
  void anUnreadableWatchEndEndsTheWatchInsteadOfTheReconcile() {
    f.watchRollouts(RollbackStrategy.Undo, "web");
    f.workloads.put("web", new WorkloadState(1, Optional.empty(), true, true));
    f.migrateTo("1", "2");
    assertThat(f.status().getRolloutWatch().getState()).isEqualTo(WatchState.WATCHING);

    f.status().getRolloutWatch().setUntil("the day after tomorrow");
    Duration recheck = f.reconcile();

    assertThat(recheck).isPositive();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(f.status().getRolloutWatch().getState()).isNotEqualTo(WatchState.WATCHING);
  }

  @Test
  void anUnreadablePlanTimeBringsTheNextPlanForwardInsteadOfThrowing() {
    f.migrateTo("0", "2");
    f.status().getLastPlan().setFinishedAt("not a time");
    f.reconcile();
    String replan = f.job(Step.PLAN);
    f.succeed(replan, plan("2", "2", "none"));
    f.reconcile();
    assertThat(f.status().getLastPlan().getFinishedAt()).isEqualTo(f.now.toString());
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void anUnreadableFailureTimeRetriesInsteadOfThrowing() {
    f.reconcile();
    f.fail(f.job(Step.PLAN), failure("plan", 4, "ConnectionFailed", "connection refused", null));
    f.reconcile();
    assertThat(f.status().getLastFailure()).isNotNull();
    f.status().getLastFailure().setAt("\u0000garbage");
    f.reconcile();
    assertThat(f.created.stream().filter(n -> n.contains("-plan-")).count()).isEqualTo(2);
  }

  @Test
  void garbageRevisionsInTheStatusNeitherThrowNorStick() {
    f.migrateTo("0", "2");
    f.status().setCurrentRevision("'; DROP TABLE x; --");
    f.status().setTargetRevision("\u0007");
    f.status().setLatestRevision("NaN");
    Duration recheck = f.reconcile();
    assertThat(recheck).isPositive();
  }
}
