package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The runner passes its redactor; here, one that knows a single secret. */
  private final ReportWriter writer = new ReportWriter(m -> m.replace("hunter2-secret", "******"));

  @Test
  void thousandPendingRevisionsAndALongMessageStillFitIn4KiB() throws Exception {
    Report report = new Report();
    report.command = "plan";
    List<String> revisions =
        IntStream.rangeClosed(1, 1000).mapToObj(i -> "2025.01.31." + i).toList();
    List<String> undoMissing =
        new ArrayList<>(revisions.subList(0, 1000).stream().filter(r -> r.endsWith("7")).toList());
    report.revisions(revisions, undoMissing);
    report.fail(Reason.ValidationFailed, "x".repeat(10_000) + "hunter2-secret");
    report.current = "0";
    report.latest = "2025.01.31.1000";
    report.digest = "sha256:" + "a".repeat(64);
    report.server = "15.19";
    report.ms = 1234L;

    String json = writer.render(report);

    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    JsonNode node = JSON.readTree(json);
    int kept = node.get("revisions").size();
    assertThat(kept).isGreaterThan(50);
    assertThat(node.get("truncated").asInt()).isEqualTo(1000 - kept);
    assertThat(node.get("revisions").get(0).asText()).isEqualTo("2025.01.31.1");
    assertThat(node.get("message").asText().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(1024);
    node.get("undoMissing").forEach(r -> assertThat(r.asText()).endsWith("7"));
    assertThat(json).doesNotContain("hunter2-secret");
  }

  @Test
  void smallReportIsUntouchedAndFieldsAreInContractOrder() {
    Report report = new Report();
    report.command = "plan";
    report.succeed();
    report.current = "7";
    report.target = "9";
    report.latest = "9";
    report.direction = "up";
    report.revisions(List.of("8", "9"), List.of());
    report.server = "15.19";
    report.digest = "sha256:3f2a";
    report.ms = 812L;
    assertThat(writer.render(report))
        .isEqualTo(
            "{\"v\":1,\"command\":\"plan\",\"ok\":true,\"exit\":0,\"current\":\"7\",\"target\":\"9\","
                + "\"latest\":\"9\",\"direction\":\"up\",\"revisions\":[\"8\",\"9\"],"
                + "\"undoMissing\":[],\"truncated\":0,\"server\":\"15.19\","
                + "\"digest\":\"sha256:3f2a\",\"ms\":812}");
  }

  @Test
  void multiByteMessagesAreCutOnCharacterBoundaries() {
    String cut = ReportWriter.cutToBytes("é".repeat(2000), 1024);
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
    assertThat(cut).endsWith("...").doesNotContain("\uFFFD");
  }
}
