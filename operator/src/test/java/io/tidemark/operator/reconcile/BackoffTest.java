package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration MAX = Duration.ofMinutes(5);

  @Test
  void doublesFromTenSecondsUpToTheCap() {
    assertThat(Backoff.after(null, MAX)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Backoff.after(1, MAX)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Backoff.after(2, MAX)).isEqualTo(Duration.ofSeconds(20));
    assertThat(Backoff.after(5, MAX)).isEqualTo(Duration.ofSeconds(160));
    assertThat(Backoff.after(6, MAX)).isEqualTo(MAX);
    assertThat(Backoff.after(1000, MAX)).isEqualTo(MAX);
  }
}
