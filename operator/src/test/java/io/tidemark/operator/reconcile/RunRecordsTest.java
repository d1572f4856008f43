package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.model.RunStatus;
import org.junit.jupiter.api.Test;

class RunRecordsTest {
  @Test
  void aRunWithoutAReportSaysBetweenWhichRevisionsTheDatabaseMayBe() {
    RunStatus run = new RunStatus();
    run.setFrom("3");
    run.setTo("7");
    assertThat(RunRecords.anyRevisionBetween(run)).isEqualTo("any revision from 3 to 7");
  }

  @Test
  void aRunStartedBeforeTheRevisionWasKnownNeverSaysNull() {
    // A change Job started for a new resource: no plan has read the revision yet.
    RunStatus run = new RunStatus();
    assertThat(RunRecords.anyRevisionBetween(run))
        .isEqualTo("any revision from the one it was at to the target")
        .doesNotContain("null");
  }
}
