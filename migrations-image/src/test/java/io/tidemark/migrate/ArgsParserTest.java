package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.report.ExitCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsParserTest {
  @Test
  void parsesACommandWithOptionsInBothForms() {
    CliOptions o = ArgsParser.parse(List.of("migrate", "--target=9", "--location", "/m",
        "--report", "/dev/termination-log", "--lock-timeout", "10s", "--statement-timeout", "0",
        "--connect-retries", "0", "--schema", "app"));
    assertThat(o.command()).isEqualTo(Command.MIGRATE);
    assertThat(o.target()).isEqualTo("9");
    assertThat(o.location()).isEqualTo(Path.of("/m"));
    assertThat(o.report()).isEqualTo(Path.of("/dev/termination-log"));
    assertThat(o.lockTimeout()).isEqualTo("10s");
    assertThat(o.statementTimeout()).isEqualTo("0");
    assertThat(o.connectRetries()).isZero();
    assertThat(o.schema()).isEqualTo("app");
  }

  @Test
  void defaults() {
    CliOptions o = ArgsParser.parse(List.of("info"));
    assertThat(o.location()).isEqualTo(Path.of("/migrations"));
    assertThat(o.schema()).isEqualTo("public");
    assertThat(o.connectRetries()).isEqualTo(5);
    assertThat(o.json()).isFalse();
  }

  @Test
  void rejectsWhatACommandDoesNotTake() {
    assertBadInput(List.of("migrate", "--to", "3"), "migrate does not take --to");
    assertBadInput(List.of("info", "--target", "3"), "info does not take --target");
    assertBadInput(List.of("undo"), "undo needs --target");
    assertBadInput(List.of("baseline"), "baseline needs --version");
    assertBadInput(List.of("migrate", "--bogus"), "unknown option --bogus");
    assertBadInput(List.of("migrate", "extra"), "unexpected argument");
    assertBadInput(List.of("migrate", "--target"), "--target needs a value");
    assertBadInput(List.of("migrate", "--target", "1", "--target", "2"), "given twice");
    assertBadInput(List.of(), "no command given");
    assertBadInput(List.of("migrate", "--schema", "a;drop"), "not a plain PostgreSQL identifier");
    assertBadInput(List.of("migrate", "--connect-retries", "-1"), "--connect-retries");
    assertBadInput(List.of("migrate", "--lock-timeout", "5 min"), "is not a duration");
  }

  @Test
  void acceptsPostgresDurationsStrictly() {
    for (String ok : List.of("0", "10", "500ms", "10s", "5min", "2h")) {
      assertThat(PgDuration.parse("--lock-timeout", ok)).isEqualTo(ok);
    }
    for (String bad : List.of("", "1d", "10 s", "s", "1.5s", "10S", "10s'")) {
      assertThatThrownBy(() -> PgDuration.parse("--lock-timeout", bad))
          .isInstanceOf(RunnerException.class);
    }
  }

  @Test
  void lenientLookupsWorkOnInvalidCommandLines() {
    List<String> args = List.of("--report", "/r.json", "undo", "--bogus");
    assertThat(ArgsParser.lenientValue(args, "--report")).isEqualTo("/r.json");
    assertThat(ArgsParser.lenientCommand(args)).isEqualTo(Command.UNDO);
  }

  private static void assertBadInput(List<String> args, String message) {
    assertThatThrownBy(() -> ArgsParser.parse(args))
        .isInstanceOfSatisfying(RunnerException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining(message);
  }
}
