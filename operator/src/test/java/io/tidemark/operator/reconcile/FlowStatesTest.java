package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.RunOutcome;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.operator.model.WatchState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which state a status is in, decided in one place, without running anything. */
class FlowStatesTest {
  private static final String KEY = "g1|r|a0|c";
  private final FlowFixture f = new FlowFixture();

  private FlowState decide(DatabaseSchemaStatus status) {
    f.resource.setStatus(status);
    return FlowStates.decide(f.context());
  }

  private static DatabaseSchemaStatus planned(Direction direction) {
    DatabaseSchemaStatus status = new DatabaseSchemaStatus();
    PlanStatus plan = new PlanStatus();
    plan.setJob("todo-plan-1");
    plan.setEpoch(KEY);
    plan.setDirection(direction);
    plan.setFinishedAt("2026-01-05T09:59:00Z");
    status.setLastPlan(plan);
    return status;
  }

  private static FailureStatus failure(String key, boolean transientCause) {
    FailureStatus failure = new FailureStatus();
    failure.setEpoch(key);
    failure.setAt("2026-01-05T09:59:55Z");
    failure.setReason("ConnectionFailed");
    failure.setTransientFailure(transientCause ? true : null);
    return failure;
  }

  private static RolloutWatchStatus watch(WatchState state, String heldFor) {
    RolloutWatchStatus watch = new RolloutWatchStatus();
    watch.setState(state);
    watch.setHeldFor(heldFor);
    return watch;
  }

  @Test
  void aNewResourceNeedsAPlan() {
    assertThat(decide(new DatabaseSchemaStatus())).isEqualTo(FlowState.PLAN_DUE);
    assertThat(decide(planned(null)))
        .as("a plan whose direction this version cannot read")
        .isEqualTo(FlowState.PLAN_DUE);
  }

  @Test
  void thePlanDecidesBetweenReadyAndAChange() {
    assertThat(decide(planned(Direction.NONE))).isEqualTo(FlowState.AT_TARGET);
    assertThat(decide(planned(Direction.UP))).isEqualTo(FlowState.CHANGE_DUE);
    f.advance(Duration.ofMinutes(10));
    assertThat(decide(planned(Direction.NONE))).isEqualTo(FlowState.PLAN_DUE);
  }

  @Test
  void aDowngradeNeedsAllowDowngrade() {
    assertThat(decide(planned(Direction.DOWN))).isEqualTo(FlowState.DOWNGRADE_NOT_ALLOWED);
    f.resource.getSpec().setAllowDowngrade(true);
    assertThat(decide(planned(Direction.DOWN))).isEqualTo(FlowState.CHANGE_DUE);
  }

  @Test
  void theRollbackAfterAFailedRolloutIsNotADowngradeToAllow() {
    DatabaseSchemaStatus status = planned(Direction.DOWN);
    status.setRolloutWatch(watch(WatchState.FAILED, KEY));
    assertThat(decide(status)).isEqualTo(FlowState.ROLLING_BACK);
  }

  @Test
  void aChangeInFlightComesBeforeEverything() {
    DatabaseSchemaStatus status = planned(Direction.UP);
    RunStatus run = new RunStatus();
    run.setJob("todo-migrate-1");
    run.setOutcome(RunOutcome.RUNNING);
    status.setLastRun(run);
    f.resource.getSpec().setTargetRevision("not a revision");
    f.resource.getSpec().setSuspend(true);

    assertThat(decide(status)).isEqualTo(FlowState.CHANGE_IN_FLIGHT);
  }

  @Test
  void aFailureHoldsOnlyItsOwnFlow() {
    DatabaseSchemaStatus status = planned(Direction.UP);
    status.setLastFailure(failure(KEY, false));
    assertThat(decide(status)).isEqualTo(FlowState.FAILED);

    f.retryAnnotation("1");
    assertThat(decide(status)).isEqualTo(FlowState.PLAN_DUE);
  }

  @Test
  void aTransientFailureBacksOffThenRetries() {
    DatabaseSchemaStatus status = planned(Direction.UP);
    status.setLastFailure(failure(KEY, true));
    status.setTransientFailures(1);
    assertThat(decide(status)).isEqualTo(FlowState.BACKING_OFF);

    f.advance(Duration.ofSeconds(5));
    assertThat(decide(status)).isEqualTo(FlowState.RETRY_DUE);
  }

  @Test
  void theRolloutWatchDecidesRollbacks() {
    DatabaseSchemaStatus status = planned(Direction.UP);
    status.setRolloutWatch(watch(WatchState.FAILED, null));
    assertThat(decide(status)).isEqualTo(FlowState.ROLLING_BACK);

    status.setRolloutWatch(watch(WatchState.ROLLBACK_FAILED, "g1|rold|a0|c"));
    assertThat(decide(status)).isEqualTo(FlowState.ROLLBACK_RETRY);
    status.setRolloutWatch(watch(WatchState.ROLLBACK_FAILED, "g0|r|a0|c"));
    assertThat(decide(status)).isEqualTo(FlowState.ROLLBACK_SUPERSEDED);

    status.setRolloutWatch(watch(WatchState.ROLLED_BACK, KEY));
    assertThat(decide(status)).isEqualTo(FlowState.HELD_AFTER_ROLLBACK);
    status.setRolloutWatch(watch(WatchState.ROLLED_BACK, "g0|r|a0|c"));
    assertThat(decide(status)).isEqualTo(FlowState.CHANGE_DUE);
  }

  @Test
  void refusalsComeBeforeFailures() {
    DatabaseSchemaStatus status = planned(Direction.UP);
    status.setLastFailure(failure(KEY, false));
    f.resource.getSpec().setSuspend(true);
    assertThat(decide(status)).isEqualTo(FlowState.SUSPENDED);
    f.resource.getSpec().setTargetRevision("x");
    assertThat(decide(status)).isEqualTo(FlowState.INVALID_SPEC);
  }
}
