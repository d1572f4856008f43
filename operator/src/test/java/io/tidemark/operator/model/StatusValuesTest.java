package io.tidemark.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * The typed status values read and write the strings earlier versions stored, and tolerate others.
 */
class StatusValuesTest {
  private static final String STORED =
      "{\"lastPlan\":{\"direction\":\"up\"},"
          + "\"lastRun\":{\"action\":\"Undo\",\"outcome\":\"Running\"},"
          + "\"rolloutWatch\":{\"state\":\"RollbackFailed\"},"
          + "\"history\":[{\"action\":\"Restored\"}]}";

  @Test
  void aStoredStatusReadsAsTypedValuesAndWritesTheSameStrings() {
    DatabaseSchemaStatus status = Serialization.unmarshal(STORED, DatabaseSchemaStatus.class);

    assertThat(status.getLastPlan().getDirection()).isEqualTo(Direction.UP);
    assertThat(status.getLastRun().getAction()).isEqualTo(RunAction.UNDO);
    assertThat(status.getLastRun().getOutcome()).isEqualTo(RunOutcome.RUNNING);
    assertThat(status.getRolloutWatch().getState()).isEqualTo(WatchState.ROLLBACK_FAILED);
    assertThat(status.getHistory().get(0).getAction()).isEqualTo(HistoryAction.RESTORED);
    String json = Serialization.asJson(status);
    assertThat(json)
        .contains(
            "\"direction\":\"up\"",
            "\"action\":\"Undo\"",
            "\"outcome\":\"Running\"",
            "\"state\":\"RollbackFailed\"",
            "\"action\":\"Restored\"");
    assertThat(Serialization.unmarshal(json, DatabaseSchemaStatus.class)).isEqualTo(status);
  }

  @Test
  void aValueThisVersionDoesNotKnowReadsAsAbsent() {
    DatabaseSchemaStatus status =
        Serialization.unmarshal(
            "{\"lastPlan\":{\"direction\":\"sideways\"},\"rolloutWatch\":{\"state\":\"Paused\"}}",
            DatabaseSchemaStatus.class);

    assertThat(status.getLastPlan().getDirection()).isNull();
    assertThat(status.getRolloutWatch().getState()).isNull();
  }

  @Test
  void aRunnerReportsDirectionIsRead() {
    assertThat(Direction.fromReport("none")).isEqualTo(Direction.NONE);
    assertThat(Direction.fromReport("down")).isEqualTo(Direction.DOWN);
    assertThat(Direction.fromReport(null)).isNull();
  }

  @Test
  void anUnknownPhaseReadsAsAbsent() {
    DatabaseSchemaStatus status =
        Serialization.unmarshal("{\"phase\":\"Hibernating\"}", DatabaseSchemaStatus.class);

    assertThat(status.getPhase()).isNull();
  }
}
