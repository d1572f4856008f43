package io.tidemark.migrate;

import io.tidemark.report.Report;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The {@code wait} command: blocks until the database is at a revision or later (an application's
 * init container), retrying the connection itself.
 */
final class WaitCommand {
  private WaitCommand() {}

  /**
   * wait: needs no migration scripts unless the revision is latest (the newest in --location, so
   * that an application's init container can run its own migrations image with --revision latest).
   * The database may not be up yet: the wait itself retries, so the first connection does not.
   */
  static void run(
      CliOptions options,
      Map<String, String> env,
      Console console,
      Report report,
      PostgresConnector.Sleeper sleeper) {
    MigrationVersion target;
    if (Revisions.LATEST.equals(options.revision())) {
      MigrationScripts image =
          MigrationScripts.scan(options.location(), env.get(CommandRunner.MIGRATIONS_SOURCE));
      report.digest = image.digest();
      report.latest = Revisions.label(image.latest());
      target = image.latest();
    } else {
      target = MigrationVersion.fromVersion(options.revision().replace('_', '.'));
    }
    report.target = Revisions.label(target);
    WaitTimeout timeout =
        options.timeout() == null ? WaitTimeout.DEFAULT : WaitTimeout.parse(options.timeout());
    SessionSettings session =
        new SessionSettings(options.lockTimeout(), options.statementTimeout());
    ConnectionSettings settings = ConnectionSettings.from(options, env);
    PostgresConnector connector = new PostgresConnector(settings, session, 0, console, sleeper);
    console.progress(
        "waiting for "
            + settings.describe()
            + " to be at revision "
            + report.target
            + " or later"
            + (timeout.forever() ? "" : " (timeout " + timeout.label() + ")"));
    RevisionWait wait =
        new RevisionWait(
            RevisionWait.fromHistoryTable(connector, options.schema()),
            // Monotonic: a clock step (NTP) neither shortens nor lengthens the timeout.
            () -> System.nanoTime() / 1_000_000L,
            sleeper,
            console);
    try {
      report.current = Revisions.label(wait.until(target, timeout));
    } finally {
      if (report.current == null) {
        report.current = wait.lastSeen();
      }
    }
    console.out("At revision " + report.current + " (waited for " + report.target + ").");
  }
}
