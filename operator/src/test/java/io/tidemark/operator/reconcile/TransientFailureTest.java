package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.report.Report;
import org.junit.jupiter.api.Test;

/** Which runner failures Tidemark retries by itself (with backoff): only those that may go away. */
class TransientFailureTest {

  @Test
  void aDatabaseThatCannotBeReachedIsRetried() {
    assertThat(RunRecords.isTransient(failed(io.tidemark.report.Reason.ConnectionFailed))).isTrue();
  }

  @Test
  void aWrongPasswordOrAMissingDatabaseWaitsForAPerson() {
    assertThat(RunRecords.isTransient(failed(io.tidemark.report.Reason.AuthenticationFailed)))
        .isFalse();
    assertThat(RunRecords.isTransient(failed(io.tidemark.report.Reason.DatabaseNotFound)))
        .isFalse();
  }

  @Test
  void otherFailuresAndNoReportAreNotTransient() {
    assertThat(RunRecords.isTransient(failed(io.tidemark.report.Reason.MigrationFailed))).isFalse();
    assertThat(RunRecords.isTransient(failed(io.tidemark.report.Reason.Internal))).isFalse();
    assertThat(RunRecords.isTransient(null)).isFalse();
  }

  private static Report failed(io.tidemark.report.Reason reason) {
    // As the operator gets it: written by the runner, read back from the termination message.
    Report written = new Report();
    written.command = "migrate";
    written.fail(reason, "why");
    return Report.parse(new io.tidemark.report.ReportWriter().render(written)).orElseThrow();
  }
}
