package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.report.ExitCode;
import io.tidemark.report.Report;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunnerCommandLineTest {
  @TempDir Path tmp;

  @Test
  void parsesACommandWithOptionsInBothForms() {
    CliOptions o =
        RunnerCommandLine.parse(
            List.of(
                "migrate",
                "--target=9",
                "--location",
                "/m",
                "--report",
                "/dev/termination-log",
                "--lock-timeout",
                "10s",
                "--statement-timeout",
                "0",
                "--connect-retries",
                "0",
                "--schema",
                "app",
                "--url",
                "jdbc:postgresql://h/db",
                "--user",
                "app",
                "--password",
                "-starts-with-a-dash",
                "--clear-failed",
                "2025.01.31.2"));
    assertThat(o.command()).isEqualTo(Command.MIGRATE);
    assertThat(o.help()).isFalse();
    assertThat(o.target()).isEqualTo("9");
    assertThat(o.location()).isEqualTo(Path.of("/m"));
    assertThat(o.report()).isEqualTo(Path.of("/dev/termination-log"));
    assertThat(o.lockTimeout()).isEqualTo("10s");
    assertThat(o.statementTimeout()).isEqualTo("0");
    assertThat(o.connectRetries()).isZero();
    assertThat(o.schema()).isEqualTo("app");
    assertThat(o.url()).isEqualTo("jdbc:postgresql://h/db");
    assertThat(o.user()).isEqualTo("app");
    assertThat(o.password()).isEqualTo("-starts-with-a-dash");
    assertThat(o.clearFailed()).isEqualTo("2025.01.31.2");
  }

  @Test
  void defaults() {
    CliOptions o = RunnerCommandLine.parse(List.of("info"));
    assertThat(o.location()).isEqualTo(Path.of("/migrations"));
    assertThat(o.schema()).isEqualTo("public");
    assertThat(o.connectRetries()).isEqualTo(5);
    assertThat(o.json()).isFalse();
    assertThat(o.report()).isNull();
    assertThat(o.lockTimeout()).isNull();
    assertThat(o.target()).isNull();
  }

  @Test
  void eachCommandTakesItsOwnOptions() {
    assertThat(RunnerCommandLine.parse(List.of("undo", "--target", "0")).target()).isEqualTo("0");
    assertThat(RunnerCommandLine.parse(List.of("info", "--json")).json()).isTrue();
    assertThat(RunnerCommandLine.parse(List.of("validate")).command()).isEqualTo(Command.VALIDATE);
    assertThat(RunnerCommandLine.parse(List.of("baseline", "--version", "3")).version())
        .isEqualTo("3");
    CliOptions plan =
        RunnerCommandLine.parse(
            List.of("plan", "--target", "latest", "--json", "--clear-failed", "2"));
    assertThat(plan.target()).isEqualTo("latest");
    assertThat(plan.json()).isTrue();
    assertThat(plan.clearFailed()).isEqualTo("2");
    assertThat(RunnerCommandLine.parse(List.of("preview", "--target", "1")).target())
        .isEqualTo("1");
    CliOptions roundTrip = RunnerCommandLine.parse(List.of("verify-roundtrip", "--to", "1"));
    assertThat(roundTrip.command()).isEqualTo(Command.VERIFY_ROUNDTRIP);
    assertThat(roundTrip.to()).isEqualTo("1");
  }

  @Test
  void optionsMayComeBeforeTheCommandWord() {
    CliOptions o =
        RunnerCommandLine.parse(
            List.of("--report", "/r.json", "--target", "3", "--json", "plan", "--schema", "app"));
    assertThat(o.command()).isEqualTo(Command.PLAN);
    assertThat(o.report()).isEqualTo(Path.of("/r.json"));
    assertThat(o.target()).isEqualTo("3");
    assertThat(o.json()).isTrue();
    assertThat(o.schema()).isEqualTo("app");
  }

  @Test
  void aValueIsTheNextWordWhateverItLooksLike() {
    // As before: the word after an option that takes a value is that value, even when it reads
    // like an option or a command, and an @ never names a file of arguments.
    assertThat(RunnerCommandLine.parse(List.of("migrate", "--password", "--json")).password())
        .isEqualTo("--json");
    assertThat(RunnerCommandLine.parse(List.of("migrate", "--password", "@/etc/passwd")).password())
        .isEqualTo("@/etc/passwd");
    assertThat(RunnerCommandLine.parse(List.of("--user", "undo", "info")).command())
        .isEqualTo(Command.INFO);
  }

  @Test
  void aFlagGivenTwiceIsHarmless() {
    assertThat(RunnerCommandLine.parse(List.of("info", "--json", "--json")).json()).isTrue();
  }

  @Test
  void helpAnywhereAsksForTheUsage() {
    for (List<String> args :
        List.of(
            List.of("--help"),
            List.of("-h"),
            List.of("undo", "--help"),
            List.of("--help", "undo"),
            List.of("info", "--target", "3", "-h"))) {
      assertThat(RunnerCommandLine.parse(args).help()).as(args.toString()).isTrue();
    }
    assertThat(RunnerCommandLine.parse(List.of("undo", "--help")).command())
        .isEqualTo(Command.UNDO);
  }

  @Test
  void theUsageListsEveryCommandWithItsOptionsAndTheExitCodes() {
    String usage = RunnerCommandLine.usage();
    assertThat(usage).startsWith("Usage: tidemark-migrate <command> [options]");
    for (Command command : Command.values()) {
      assertThat(usage).contains("\n  " + command.cliName() + " ");
    }
    assertThat(usage)
        .contains(
            "migrate [--target VERSION|latest] [--clear-failed VERSION] [--baseline-at VERSION]")
        .contains("undo --target VERSION ")
        .contains("info [--json]")
        .contains("baseline --version VERSION ")
        .contains(
            "plan [--target VERSION|latest] [--json] [--clear-failed VERSION] [--baseline-at VERSION]")
        .contains("[--rehearse]")
        .contains("preview [--target VERSION|latest]")
        .contains("verify-roundtrip [--to VERSION]")
        .contains(
            "--url JDBC_URL",
            "--user NAME",
            "--password PW",
            "--location DIR",
            "--schema NAME",
            "--report FILE",
            "--lock-timeout DURATION",
            "--statement-timeout DURATION",
            "--connect-retries N",
            "-h, --help")
        .contains("Exit codes: 0 ok, 1 migration or undo failed");
    for (String line : usage.split("\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(100);
    }
  }

  static List<Arguments> usageErrors() {
    return List.of(
        Arguments.of(List.of("migrate", "--to", "3"), "migrate does not take --to"),
        Arguments.of(List.of("migrate", "--to=3"), "migrate does not take --to"),
        Arguments.of(List.of("--to", "3", "migrate"), "migrate does not take --to"),
        Arguments.of(List.of("info", "--target", "3"), "info does not take --target"),
        Arguments.of(List.of("undo", "--json", "--target", "0"), "undo does not take --json"),
        Arguments.of(List.of("validate", "--target", "3"), "validate does not take --target"),
        Arguments.of(
            List.of("baseline", "--target", "3", "--version", "1"),
            "baseline does not take --target"),
        Arguments.of(
            List.of("preview", "--clear-failed", "2"), "preview does not take --clear-failed"),
        Arguments.of(
            List.of("undo", "--clear-failed", "2", "--target", "0"),
            "undo does not take --clear-failed"),
        Arguments.of(
            List.of("verify-roundtrip", "--target", "3"),
            "verify-roundtrip does not take --target"),
        Arguments.of(List.of("plan", "--version", "3"), "plan does not take --version"),
        Arguments.of(List.of("undo"), "undo needs --target VERSION"),
        Arguments.of(List.of("baseline"), "baseline needs --version VERSION"),
        Arguments.of(List.of("migrate", "--bogus"), "unknown option --bogus"),
        Arguments.of(List.of("--bogus", "migrate"), "unknown option --bogus"),
        Arguments.of(List.of("migrate", "--bogus=1"), "unknown option --bogus"),
        Arguments.of(List.of("migrate", "-x"), "unknown option -x"),
        Arguments.of(List.of("migrate", "extra"), "unexpected argument 'extra'"),
        Arguments.of(List.of("migrate", "info"), "unexpected argument 'info'"),
        Arguments.of(List.of("migrate", "--target"), "--target needs a value"),
        Arguments.of(List.of("migrate", "--report"), "--report needs a value"),
        Arguments.of(List.of("migrate", "--target", "1", "--target", "2"), "--target given twice"),
        Arguments.of(List.of("--target", "1", "migrate", "--target=2"), "--target given twice"),
        Arguments.of(List.of("--schema", "a", "info", "--schema", "b"), "--schema given twice"),
        Arguments.of(List.of(), "no command given"),
        Arguments.of(List.of("--location", "/m"), "no command given"),
        Arguments.of(List.of("upgrade"), "unknown command 'upgrade'"),
        Arguments.of(List.of("help"), "unknown command 'help'"),
        Arguments.of(List.of("migrate", "--schema", "a;drop"), "not a plain PostgreSQL identifier"),
        Arguments.of(
            List.of("migrate", "--connect-retries", "-1"),
            "--connect-retries '-1' is not a number between 0 and 999"),
        Arguments.of(List.of("migrate", "--connect-retries", "1000"), "--connect-retries '1000'"),
        Arguments.of(
            List.of("migrate", "--lock-timeout", "5 min"),
            "--lock-timeout '5 min' is not a duration"),
        Arguments.of(
            List.of("migrate", "--statement-timeout=1d"),
            "--statement-timeout '1d' is not a duration"),
        Arguments.of(
            List.of("migrate", "--statement-timeout", "99999999999"),
            "longer than PostgreSQL accepts"),
        Arguments.of(
            List.of("plan", "--clear-failed", "x"), "--clear-failed 'x' is not a revision"),
        Arguments.of(List.of("info", "--json=true"), "--json"));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void usageErrorsAreInvalidArgument(List<String> args, String message) {
    assertThatThrownBy(() -> RunnerCommandLine.parse(args))
        .isInstanceOfSatisfying(
            RunnerException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining(message);
  }

  /** Through Main: exit 3, one line on stderr, nothing on stdout, and the report written. */
  @ParameterizedTest
  @MethodSource("usageErrors")
  void usageErrorsEndInAReportAndExitThree(List<String> args, String message) throws IOException {
    Path reportFile = tmp.resolve("report.json");
    // In front, since "--target --report" gives --target the value "--report", as it always has.
    List<String> all = new ArrayList<>(List.of("--report", reportFile.toString()));
    all.addAll(args);
    Outcome run = run(all);
    assertThat(run.exit).isEqualTo(3);
    assertThat(run.out).isEmpty();
    assertThat(run.err)
        .startsWith("tidemark: error: ")
        .contains(message)
        .doesNotContain("Exception", "\tat ", "picocli");
    assertThat(run.err.lines().count()).isLessThanOrEqualTo(2); // + "Run with --help for usage."
    Report report = Report.parse(Files.readString(reportFile)).orElseThrow();
    assertThat(report.ok).isFalse();
    assertThat(report.exit).isEqualTo(3);
    assertThat(report.reason).isEqualTo("InvalidArgument");
    assertThat(report.message).contains(message);
    Command command = RunnerCommandLine.lenientCommand(args);
    assertThat(report.command).isEqualTo(command == null ? null : command.cliName());
  }

  @Test
  void theReportPathIsFoundWhereverItStandsEvenWhenTheRestIsWrong() throws IOException {
    for (List<String> args :
        List.of(
            List.of("--report", "REPORT", "undo", "--bogus"),
            List.of("undo", "--bogus", "--report=REPORT"),
            List.of("--report", "REPORT", "upgrade"),
            List.of("undo", "--report", "REPORT", "--target"))) {
      Path reportFile = tmp.resolve("r" + System.nanoTime() + ".json");
      List<String> withPath =
          args.stream().map(a -> a.replace("REPORT", reportFile.toString())).toList();
      assertThat(run(withPath).exit).isEqualTo(3);
      assertThat(Report.parse(Files.readString(reportFile)).orElseThrow().reason)
          .isEqualTo("InvalidArgument");
    }
    List<String> args = List.of("--report", "/r.json", "undo", "--bogus");
    assertThat(RunnerCommandLine.lenientValue(args, "--report")).isEqualTo("/r.json");
    assertThat(RunnerCommandLine.lenientCommand(args)).isEqualTo(Command.UNDO);
  }

  @Test
  void aPasswordIsNeverEchoedByAUsageError() throws IOException {
    Path reportFile = tmp.resolve("report.json");
    for (List<String> args :
        List.of(
            List.of("migrate", "--password", "hunter2-secret", "hunter2-secret"),
            List.of("migrate", "--password=hunter2-secret", "--bogus=hunter2-secret"),
            List.of("migrate", "--password", "hunter2-secret", "--schema", "hunter2-secret;"),
            List.of("hunter2-secret", "--password", "hunter2-secret"),
            List.of(
                "--url",
                "jdbc:postgresql://h/db?password=hunter2-secret",
                "migrate",
                "--lock-timeout",
                "hunter2-secret"))) {
      List<String> all = new ArrayList<>(args);
      all.addAll(List.of("--report", reportFile.toString()));
      Outcome run = run(all);
      assertThat(run.exit).as(args.toString()).isEqualTo(3);
      assertThat(run.err).as(args.toString()).doesNotContain("hunter2");
      assertThat(Files.readString(reportFile)).doesNotContain("hunter2");
    }
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndExitsZero() {
    for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("migrate", "-h"))) {
      Outcome run = run(args);
      assertThat(run.exit).isZero();
      assertThat(run.out).isEqualTo(RunnerCommandLine.usage() + System.lineSeparator());
      assertThat(run.err).isEmpty();
    }
  }

  @Test
  void acceptsPostgresDurationsStrictly() {
    for (String ok : List.of("0", "10", "500ms", "10s", "5min", "2h")) {
      assertThat(PgDuration.parse("--lock-timeout", ok)).isEqualTo(ok);
      assertThat(RunnerCommandLine.parse(List.of("info", "--lock-timeout", ok)).lockTimeout())
          .isEqualTo(ok);
    }
    for (String bad : List.of("", "1d", "10 s", "s", "1.5s", "10S", "10s'")) {
      assertThatThrownBy(() -> PgDuration.parse("--lock-timeout", bad))
          .isInstanceOf(RunnerException.class);
      assertThatThrownBy(() -> RunnerCommandLine.parse(List.of("info", "--lock-timeout", bad)))
          .isInstanceOf(RunnerException.class);
    }
  }

  private record Outcome(int exit, String out, String err) {}

  private static Outcome run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            millis -> {});
    return new Outcome(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void changeTakesItsChecksAndABackupFolderOnlyWithTheNamesOfItsDumps() {
    CliOptions o =
        RunnerCommandLine.parse(
            List.of(
                "change",
                "--allow-downgrade",
                "--expect-digest",
                "sha256:ab",
                "--backup-dir",
                "/backups",
                "--backup-prefix",
                "shop_todo_",
                "--backup-keep",
                "2"));
    assertThat(o.command()).isEqualTo(Command.CHANGE);
    assertThat(o.change().allowDowngrade()).isTrue();
    assertThat(o.change().requireUndo()).isFalse();
    assertThat(o.change().expectDigest()).isEqualTo("sha256:ab");
    assertThat(o.change().backsUp()).isTrue();
    assertThat(o.change().backupKeep()).isEqualTo(2);

    assertThatThrownBy(() -> RunnerCommandLine.parse(List.of("change", "--backup-dir", "/b")))
        .hasMessageContaining("needs --backup-prefix");
    assertThatThrownBy(
            () -> RunnerCommandLine.parse(List.of("change", "--backup-prefix", "../etc/x")))
        .hasMessageContaining("is not a backup file name");
    assertThatThrownBy(
            () ->
                RunnerCommandLine.parse(
                    List.of(
                        "change",
                        "--backup-dir",
                        "/b",
                        "--backup-prefix",
                        "p_",
                        "--backup-keep",
                        "0")))
        .hasMessageContaining("--backup-keep '0'");
    assertThatThrownBy(() -> RunnerCommandLine.parse(List.of("migrate", "--allow-downgrade")))
        .hasMessageContaining("migrate does not take --allow-downgrade");
  }
}
