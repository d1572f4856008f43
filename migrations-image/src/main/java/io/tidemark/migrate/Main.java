package io.tidemark.migrate;

import io.tidemark.report.ExitCode;
import io.tidemark.report.Reason;
import io.tidemark.report.Report;
import io.tidemark.report.ReportWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.FlywayException;

/**
 * The runner's entry point. {@link #run} does the work and returns the exit code without touching
 * System.exit or System.getenv, so that tests and the local Job executor can call it in-process.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int exit = run(Arrays.asList(args), System.getenv(), System.out, System.err);
    System.exit(exit);
  }

  public static int run(
      List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, Thread::sleep);
  }

  /** As {@link #run(List, Map, PrintStream, PrintStream)}, with the sleep between retries given. */
  public static int run(
      List<String> args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      PostgresConnector.Sleeper sleeper) {
    long started = System.nanoTime();
    Redactor redactor = Redactor.forInputs(args, env);
    Console console = new Console(out, err, redactor);
    FlywayLogBridge.install(console);
    Report report = new Report();
    Command lenientCommand = RunnerCommandLine.lenientCommand(args);
    report.command = lenientCommand == null ? null : lenientCommand.cliName();
    String reportFile = RunnerCommandLine.lenientValue(args, "--report");

    int exit;
    try {
      CliOptions options = RunnerCommandLine.parse(args);
      if (options.help()) {
        console.out(RunnerCommandLine.usage());
        return ExitCode.OK.code();
      }
      new CommandRunner(options, env, console, report, sleeper).run();
      exit = ExitCode.OK.code();
    } catch (RunnerException e) {
      exit = fail(report, console, e);
    } catch (FlywayException e) {
      exit = fail(report, console, fromFlyway(e));
    } catch (RuntimeException e) {
      exit = fail(report, console, new RunnerException(Reason.Internal, "internal error: " + e, e));
    }
    report.ms = Durations.millisSince(started);
    if (report.rehearsal != null && report.rehearsal.reason != null) {
      // A client tool's own words: through the same redaction as the message.
      report.rehearsal.reason = redactor.redact(report.rehearsal.reason);
    }
    if (reportFile != null) {
      try {
        new ReportWriter(redactor::redact).write(report, Path.of(reportFile));
      } catch (IOException | RuntimeException e) {
        console.err("tidemark: error: cannot write the report to " + reportFile + ": " + e);
        if (exit == ExitCode.OK.code()) {
          exit = ExitCode.INTERNAL.code();
        }
      }
    }
    return exit;
  }

  private static int fail(Report report, Console console, RunnerException e) {
    record(report, e);
    console.err("tidemark: error: " + report.message);
    if (e.reason() == Reason.InvalidArgument && e.getMessage().contains("--help")) {
      console.err("Run with --help for usage.");
    }
    return e.exitCode().code();
  }

  /** The failure in the report: its reason, message, and where it left the database when known. */
  static void record(Report report, RunnerException e) {
    report.fail(e.reason(), Messages.normalize(e.getMessage()));
    if (e.failedRevision() != null) {
      report.failed = e.failedRevision();
    }
    if (e.currentRevision() != null) {
      report.current = e.currentRevision();
    } else if (e.isCurrentUnknown()) {
      report.current = null;
    }
  }

  /** A Flyway failure outside a migration: a lost connection, or something unexpected. */
  private static RunnerException fromFlyway(FlywayException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && PostgresConnector.isConnectionLoss(sql)) {
        return new RunnerException(
            Reason.ConnectionFailed,
            "lost the connection: " + PostgresConnector.firstLine(sql.getMessage()),
            e);
      }
    }
    return new RunnerException(
        Reason.Internal, "Flyway failed: " + PostgresConnector.firstLine(e.getMessage()), e);
  }
}
