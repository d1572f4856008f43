package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.report.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * The wait's decisions, on a fake clock that the pauses advance: when it returns, how it backs off,
 * what it waits through and what it does not, and when and how it gives up. No database.
 */
class RevisionWaitTest {
  long now;
  final List<Long> pauses = new ArrayList<>();
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  final Console console =
      new Console(
          new PrintStream(log, true, StandardCharsets.UTF_8),
          new PrintStream(log, true, StandardCharsets.UTF_8),
          Redactor.forInputs(List.of(), java.util.Map.of()));

  RevisionWait waiting(Deque<Supplier<MigrationVersion>> readings) {
    return new RevisionWait(
        () -> readings.size() > 1 ? readings.poll().get() : readings.peek().get(),
        () -> now,
        millis -> {
          pauses.add(millis);
          now += millis;
        },
        console);
  }

  static Supplier<MigrationVersion> at(String version) {
    return () -> version == null ? null : MigrationVersion.fromVersion(version);
  }

  static Supplier<MigrationVersion> failing(Reason reason, String message) {
    return () -> {
      throw new RunnerException(reason, message);
    };
  }

  static MigrationVersion v(String version) {
    return MigrationVersion.fromVersion(version);
  }

  @Test
  void aDatabaseAtOrPastTheRevisionEndsTheWaitAtOnce() {
    RevisionWait wait = waiting(new ArrayDeque<>(List.of(at("7"))));
    assertThat(wait.until(v("5"), WaitTimeout.parse("10s"))).isEqualTo(v("7"));
    assertThat(pauses).isEmpty();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("at revision 7, past 5 (check 1)");

    assertThat(waiting(new ArrayDeque<>(List.of(at("5")))).until(v("5"), WaitTimeout.DEFAULT))
        .isEqualTo(v("5"));
  }

  @Test
  void olderRevisionsAndBaseAreWaitedThroughWithBackoffCappedAtTenSeconds() {
    RevisionWait wait =
        waiting(
            new ArrayDeque<>(
                List.of(at(null), at("1"), at("2"), at("2"), at("3"), at("4"), at("4"), at("5"))));
    assertThat(wait.until(v("5"), WaitTimeout.parse("0"))).isEqualTo(v("5"));
    assertThat(pauses).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L, 10_000L);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("the database is at revision 0; waiting for revision 5, next check in 1000 ms")
        .contains("the database is at revision 4; waiting for revision 5");
  }

  @Test
  void aDatabaseThatIsNotThereYetIsWaitedFor() {
    RevisionWait wait =
        waiting(
            new ArrayDeque<>(
                List.of(
                    failing(Reason.ConnectionFailed, "cannot connect (todo-postgres-rw:5432/todo)"),
                    failing(Reason.DatabaseNotFound, "database does not exist"),
                    failing(Reason.AuthenticationFailed, "authentication failed"),
                    at("3"))));
    assertThat(wait.until(v("3"), WaitTimeout.DEFAULT)).isEqualTo(v("3"));
    assertThat(pauses).hasSize(3);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("cannot connect (todo-postgres-rw:5432/todo); waiting for revision 3");
  }

  @Test
  void whatWaitingCannotHealEndsTheWait() {
    RevisionWait wait =
        waiting(new ArrayDeque<>(List.of(failing(Reason.Internal, "cannot read the table"))));
    assertThatThrownBy(() -> wait.until(v("3"), WaitTimeout.DEFAULT))
        .isInstanceOfSatisfying(
            RunnerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.Internal));
    assertThat(pauses).isEmpty();
  }

  @Test
  void theTimeoutEndsTheWaitWithWhatTheLastCheckSaw() {
    RevisionWait wait = waiting(new ArrayDeque<>(List.of(at("2"))));
    assertThatThrownBy(() -> wait.until(v("5"), WaitTimeout.parse("10s")))
        .isInstanceOfSatisfying(
            RunnerException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.WaitTimedOut);
              assertThat(e.exitCode().code()).isEqualTo(6);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "gave up waiting for revision 5 after 10s (5 checks): the database is at"
                          + " revision 2; is the DatabaseSchema that migrates it Ready?"
                          + " (kubectl get dbs)");
            });
    // 1 + 2 + 4 s, then only the 3 s that were left: the fifth check is at the deadline.
    assertThat(pauses).containsExactly(1_000L, 2_000L, 4_000L, 3_000L);
    assertThat(wait.lastSeen()).isEqualTo("2");

    RevisionWait unreachable =
        waiting(new ArrayDeque<>(List.of(failing(Reason.ConnectionFailed, "cannot connect"))));
    assertThatThrownBy(() -> unreachable.until(v("5"), WaitTimeout.parse("1500ms")))
        .hasMessageContaining("after 1500ms (3 checks): cannot connect");
    assertThat(unreachable.lastSeen()).isNull();
  }

  @Test
  void timeoutsAreReadAsManifestsWriteThem() {
    assertThat(WaitTimeout.parse("90s").millis()).isEqualTo(90_000);
    assertThat(WaitTimeout.parse("10m").millis()).isEqualTo(600_000);
    assertThat(WaitTimeout.parse("5min").millis()).isEqualTo(300_000);
    assertThat(WaitTimeout.parse("2h").millis()).isEqualTo(7_200_000);
    assertThat(WaitTimeout.parse("250ms").millis()).isEqualTo(250);
    assertThat(WaitTimeout.parse("0").forever()).isTrue();
    assertThat(WaitTimeout.DEFAULT.millis()).isEqualTo(600_000);
    for (String bad : List.of("10", "1.5m", "-1s", "10 m", "1d", "")) {
      assertThatThrownBy(() -> WaitTimeout.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              RunnerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.InvalidArgument))
          .hasMessageContaining("--timeout '" + bad + "' is not a duration");
    }
  }
}
