package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.WatchState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private static final FlowKey KEY = new FlowKey(1, "", 0, "");
  private final DatabaseSchemaStatus status = new DatabaseSchemaStatus();

  private StatusAggregator at(Instant now) {
    return new StatusAggregator(FlowFixture.resource("todo"), status, 1, now);
  }

  @Test
  void aConditionKeepsItsTransitionTimeUntilItsStatusFlips() {
    at(T0).progressing(Step.PLAN, "Job p is running", KEY);
    at(T0.plusSeconds(60)).progressing(Step.BACKUP, "Job b is running", KEY);

    var ready = Conditions.get(status, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("BackingUp");
    assertThat(ready.getLastTransitionTime()).isEqualTo(T0.toString());

    at(T0.plusSeconds(120)).ready();
    assertThat(Conditions.get(status, Conditions.READY).orElseThrow().getLastTransitionTime())
        .isEqualTo(T0.plusSeconds(120).toString());
  }

  @Test
  void aRefusalIsNewsOnlyTheFirstTime() {
    assertThat(at(T0).refused(Phase.Blocked, Reason.DATABASE_CLAIMED, "taken")).isTrue();
    assertThat(at(T0.plusSeconds(30)).refused(Phase.Blocked, Reason.DATABASE_CLAIMED, "taken"))
        .isFalse();
    assertThat(
            at(T0.plusSeconds(60))
                .refused(Phase.Blocked, Reason.DATABASE_CLAIMED, "taken elsewhere"))
        .isTrue();
  }

  @Test
  void stepsOfARollbackShowAsRollingBack() {
    RolloutWatchStatus watch = new RolloutWatchStatus();
    watch.setState(WatchState.FAILED);
    status.setRolloutWatch(watch);

    at(T0).progressing(Step.BACKUP, "Job b is running", KEY);
    assertThat(status.getPhase()).isEqualTo(Phase.RollingBack);
    at(T0).progressing(Step.PLAN, "Job p is running", KEY);
    assertThat(status.getPhase()).isEqualTo(Phase.Planning);
  }

  @Test
  void aQuietAggregatorShowsNoProgress() {
    StatusAggregator aggregator = at(T0);
    aggregator.ready();
    aggregator.quiet(true);

    aggregator.progressing(Step.PLAN, "Job p is running", KEY);

    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void theResultIsPendingUntilSomethingIsShownAndRecordsTheGeneration() {
    DatabaseSchemaStatus result = at(T0).result();

    assertThat(result.getPhase()).isEqualTo(Phase.Pending);
    assertThat(result.getObservedGeneration()).isEqualTo(1L);
  }
}
