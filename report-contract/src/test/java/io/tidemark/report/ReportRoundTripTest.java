package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What the runner writes is what the operator reads: a report rendered by {@link ReportWriter} (as
 * the runner does with --report) and parsed by {@link Report#parse(String)} (as the operator does
 * with a Pod's termination message) comes back field for field.
 */
class ReportRoundTripTest {
  private final ReportWriter writer = new ReportWriter();

  @Test
  void aSuccessfulPlanComesBackFieldForField() {
    Report written = new Report();
    written.command = "plan";
    written.succeed();
    written.current = "7";
    written.target = "9";
    written.latest = "9";
    written.direction = "up";
    written.revisions(List.of("8", "9"), List.of("9"));
    written.server = "15.19";
    written.digest = "sha256:3f2a";
    written.ms = 812L;

    Report read = Report.parse(writer.render(written)).orElseThrow();

    assertThat(read).usingRecursiveComparison().isEqualTo(written);
    assertThat(read.succeeded()).isTrue();
    assertThat(read.revisionsOrEmpty()).containsExactly("8", "9");
  }

  @Test
  void aFailureComesBackWithItsReasonExitCodeAndWhereItLeftTheDatabase() {
    Report written = new Report();
    written.command = "migrate";
    written.fail(
        Reason.MigrationFailed,
        "V4__backfill.sql failed (SQLState 42P01, line 2): ERROR: relation "
            + "\"no_such_table\" does not exist; the database is at revision 3");
    written.failed = "4";
    written.current = "3";
    written.revisions(List.of("1", "2", "3"), List.of());

    Report read = Report.parse(writer.render(written)).orElseThrow();

    assertThat(read).usingRecursiveComparison().isEqualTo(written);
    assertThat(read.succeeded()).isFalse();
    assertThat(read.exit).isEqualTo(ExitCode.MIGRATION_FAILED.code()).isEqualTo(1);
    assertThat(read.reason).isEqualTo("MigrationFailed");
  }

  @Test
  void aTruncatedReportSaysHowManyRevisionsItCut() {
    Report written = new Report();
    written.command = "plan";
    written.succeed();
    List<String> all = IntStream.rangeClosed(1, 1000).mapToObj(i -> "2025.01.31." + i).toList();
    written.revisions(all, List.of());

    Report read = Report.parse(writer.render(written)).orElseThrow();

    assertThat(read.revisions.size() + read.truncated).isEqualTo(1000);
    assertThat(read.revisions).isEqualTo(all.subList(0, read.revisions.size()));
  }

  @Test
  void everyReasonKeepsItsExitCodeOnTheWire() {
    for (Reason reason : Reason.values()) {
      Report written = new Report();
      written.fail(reason, "why");
      Report read = Report.parse(writer.render(written)).orElseThrow();
      assertThat(read.reason).isEqualTo(reason.name());
      assertThat(read.exit).as(reason.name()).isEqualTo(reason.exitCode().code());
    }
  }

  @Test
  void theBackupScriptsEnvelopeIsRead() {
    // As BackupScript's printf writes it (docs/runner-report.md).
    Report read =
        Report.parse(
                "{\"v\":1,\"command\":\"backup\",\"ok\":true,\"exit\":0,"
                    + "\"file\":\"shop_todo_20250101T000000Z_r7.dump\",\"sizeBytes\":123,\"ms\":456}\n")
            .orElseThrow();

    assertThat(read.command).isEqualTo("backup");
    assertThat(read.succeeded()).isTrue();
    assertThat(read.file).isEqualTo("shop_todo_20250101T000000Z_r7.dump");
    assertThat(read.sizeBytes).isEqualTo(123L);
    assertThat(read.ms).isEqualTo(456L);
  }

  @Test
  void fieldsThisVersionDoesNotKnowAreIgnored() {
    Report read =
        Report.parse(
                "{\"v\":1,\"command\":\"plan\",\"ok\":true,\"exit\":0,\"current\":\"2\","
                    + "\"addedLater\":{\"x\":[1,2]}}")
            .orElseThrow();

    assertThat(read.current).isEqualTo("2");
  }

  @Test
  void whatIsNotAReportIsNone() {
    assertThat(Report.parse(null)).isEmpty();
    assertThat(Report.parse("")).isEmpty();
    assertThat(Report.parse("ERROR: relation does not exist")).isEmpty();
    assertThat(Report.parse("{\"v\":1,\"ok\":tru")).isEmpty();
  }

  @Test
  void aReportWithoutOkIsNotASuccess() {
    Report read = Report.parse("{\"v\":1,\"command\":\"migrate\"}").orElseThrow();

    assertThat(read.succeeded()).isFalse();
    assertThat(read.revisionsOrEmpty()).isEmpty();
  }
}
