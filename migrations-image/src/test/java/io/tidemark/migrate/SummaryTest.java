package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static List<String> revisions(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(Integer::toString).toList();
  }

  @Test
  void upToTenRevisionsAreAllListed() {
    assertThat(CommandRunner.summary(List.of("4"))).isEqualTo("4");
    assertThat(CommandRunner.summary(revisions(10))).isEqualTo("1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
  }

  @Test
  void longerRunsShowTheEndsAndTheCount() {
    assertThat(CommandRunner.summary(revisions(11)))
        .isEqualTo("1, 2, 3, ..., 9, 10, 11 (11 revisions)");
    assertThat(CommandRunner.summary(revisions(500)))
        .isEqualTo("1, 2, 3, ..., 498, 499, 500 (500 revisions)");
  }
}
