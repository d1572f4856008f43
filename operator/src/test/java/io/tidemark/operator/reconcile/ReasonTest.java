package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReasonTest {

  @Test
  void everyReasonTheRunnerReportsIsKnownWithItsAdvice() {
    for (io.tidemark.report.Reason runner : io.tidemark.report.Reason.values()) {
      assertThat(Reason.of(runner.name())).as(runner.name()).isPresent();
    }
    assertThat(Reason.MIGRATION_FAILED.advice()).startsWith("Fix the migration");
    assertThat(Reason.CONNECTION_FAILED.advice()).contains("retries with backoff");
  }

  @Test
  void valuesAreTheWordsUsersMatchOnAndUnique() {
    assertThat(Reason.ROLLED_BACK.value()).isEqualTo("RolledBack");
    assertThat(Reason.AT_TARGET_REVISION.toString()).isEqualTo("AtTargetRevision");
    Set<String> values =
        Arrays.stream(Reason.values()).map(Reason::value).collect(Collectors.toSet());
    assertThat(values).hasSize(Reason.values().length);
  }

  @Test
  void aReasonThisVersionDoesNotKnowIsNone() {
    assertThat(Reason.of("SomethingNew")).isEmpty();
    assertThat(Reason.INVALID_SPEC.advice()).startsWith("Check the Job's logs");
  }
}
