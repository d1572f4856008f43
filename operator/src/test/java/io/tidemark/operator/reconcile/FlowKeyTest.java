package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.HistoryEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowKeyTest {

  @Test
  void isStoredAsTheTextEarlierVersionsWrote() {
    FlowKey key = new FlowKey(3, "abc", 2, "todo-migrate-1");
    assertThat(key.text()).isEqualTo("g3|rabc|a2|ctodo-migrate-1");
    assertThat(FlowKey.parse(key.text())).contains(key);
    assertThat(FlowKey.parse("g1|r|a0|c")).contains(new FlowKey(1, "", 0, ""));
  }

  @Test
  void textThatIsNotAKeyMatchesNothing() {
    assertThat(FlowKey.parse(null)).isEmpty();
    assertThat(FlowKey.parse("garbage")).isEmpty();
    assertThat(FlowKey.parse("gx|r|a0|c")).isEmpty();
    FlowKey key = new FlowKey(1, "", 0, "");
    assertThat(key.is("garbage")).isFalse();
    assertThat(key.sameGeneration("garbage")).isFalse();
    assertThat(key.acknowledges("garbage")).isTrue();
  }

  @Test
  void comesFromGenerationRetryValueAttemptAndLastChange() {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getMetadata().setGeneration(4L);
    r.getMetadata().setAnnotations(Map.of(DatabaseSchema.RETRY_ANNOTATION, "any text at all"));
    DatabaseSchemaStatus status = new DatabaseSchemaStatus();
    status.setAttempt(2);
    HistoryEntry last = new HistoryEntry();
    last.setJob("todo-migrate-abc");
    status.setHistory(List.of(last));

    assertThat(FlowKey.of(r, status))
        .isEqualTo(new FlowKey(4, JobNames.shortHash("any text at all"), 2, "todo-migrate-abc"));
    assertThat(FlowKey.of(FlowFixture.resource("todo"), new DatabaseSchemaStatus()).text())
        .isEqualTo("g1|r|a0|c");
  }

  @Test
  void aNewGenerationOrRetryValueAcknowledgesButANewAttemptOrChangeDoesNot() {
    FlowKey key = new FlowKey(2, "r1", 0, "");
    assertThat(key.acknowledges(null)).isTrue();
    assertThat(key.acknowledges("g1|rr1|a0|c")).isTrue();
    assertThat(key.acknowledges("g2|r|a0|c")).isTrue();
    assertThat(key.acknowledges("g2|rr1|a5|cother")).isFalse();
  }

  @Test
  void sameGenerationIgnoresRetryValueAndAttempt() {
    FlowKey key = new FlowKey(2, "r1", 1, "x");
    assertThat(key.sameGeneration("g2|r|a0|c")).isTrue();
    assertThat(key.sameGeneration("g3|rr1|a1|cx")).isFalse();
    assertThat(key.sameGeneration(null)).isFalse();
  }
}
