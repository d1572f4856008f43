package io.tidemark.migrate;

import io.tidemark.report.Reason;
import io.tidemark.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * plan --rehearse: applies the plan's revisions to a schema-only copy of the database (every
 * schema, so that a revision may refer to or drop another one; and the managed schema's history
 * rows) in a scratch database on the same server, compares the catalog before and after each
 * revision ({@link DestructiveChanges}), and drops the scratch database. The real database is only
 * read, by pg_dump.
 */
final class Rehearsal {
  /** Findings kept in the report (the termination message is small); plan --json has them all. */
  static final int REPORTED_FINDINGS = 12;

  private static final long TOOL_TIMEOUT_MINUTES = 10;

  /** Scratch databases are named tidemark_rehearsal_&lt;epoch seconds&gt;_&lt;random&gt;. */
  static final String SCRATCH_PREFIX = "tidemark_rehearsal_";

  /**
   * A scratch database older than this was left by a rehearsal that was killed (its Job deleted,
   * its node lost): the next rehearsal drops it. Far above a plan Job's deadline.
   */
  static final long LEFTOVER_AFTER_SECONDS = 6 * 3600;

  private final ConnectionSettings settings;
  private final SessionSettings session;
  private final MigrationScripts image;
  private final String schema;

  /** Every managed schema, the history's first (the copy has them all: it copies every schema). */
  private final List<String> schemas;

  private final Console console;
  private final PostgresConnector real;
  private final PostgresConnector.Sleeper sleeper;

  Rehearsal(
      ConnectionSettings settings,
      SessionSettings session,
      MigrationScripts image,
      List<String> schemas,
      Console console,
      PostgresConnector real,
      PostgresConnector.Sleeper sleeper) {
    this.settings = settings;
    this.session = session;
    this.image = image;
    this.schemas = List.copyOf(schemas);
    this.schema = schemas.get(0);
    this.console = console;
    this.real = real;
    this.sleeper = sleeper;
  }

  /** What the rehearsal of {@code plan} found: every finding, not bounded. */
  record Outcome(boolean done, String skippedBecause, List<Report.Finding> findings) {
    static Outcome skipped(String why) {
      return new Outcome(false, why, List.of());
    }

    /** For the report: the first {@value #REPORTED_FINDINGS} findings and how many were cut. */
    Report.Rehearsal forReport() {
      Report.Rehearsal r = new Report.Rehearsal();
      r.outcome = done ? Report.Rehearsal.DONE : Report.Rehearsal.SKIPPED;
      r.reason = skippedBecause;
      r.destructive =
          findings.isEmpty()
              ? null
              : new ArrayList<>(findings.subList(0, Math.min(findings.size(), REPORTED_FINDINGS)));
      r.truncated =
          findings.size() > REPORTED_FINDINGS ? findings.size() - REPORTED_FINDINGS : null;
      return r;
    }
  }

  /**
   * Rehearses {@code plan}; {@code adoptAt} is the revision a schema without history is adopted at,
   * or null; {@code historyTable} whether the database has one (a new one has none: no rows to
   * copy). Throws RehearsalFailed when a revision fails on the copy.
   */
  Outcome run(Plan plan, MigrationVersion adoptAt, boolean historyTable) {
    if (plan.direction() == Plan.Direction.none) {
      return new Outcome(true, null, List.of());
    }
    if (plan.direction() == Plan.Direction.down) {
      return Outcome.skipped(
          "a downgrade runs undo scripts, which remove what the revisions added; spec.allowDowngrade"
              + " decides whether it runs");
    }
    dropLeftovers();
    String scratch =
        SCRATCH_PREFIX
            + System.currentTimeMillis() / 1000
            + "_"
            + HexFormat.of().formatHex(randomBytes());
    try {
      execute(real, "CREATE DATABASE " + scratch);
    } catch (SQLException e) {
      String why =
          "42501".equals(e.getSQLState())
              ? "the database user may not create databases (it needs CREATEDB for the scratch"
                  + " copy): "
              : "cannot create a scratch database: ";
      return Outcome.skipped(why + PostgresConnector.firstLine(e.getMessage()));
    }
    console.progress("rehearsing on a schema-only copy of schema " + schema + " in " + scratch);
    try {
      String copyProblem = copySchema(scratch, historyTable);
      if (copyProblem != null) {
        return Outcome.skipped(copyProblem);
      }
      return new Outcome(true, null, apply(plan, adoptAt, scratch));
    } finally {
      drop(scratch);
    }
  }

  private List<Report.Finding> apply(Plan plan, MigrationVersion adoptAt, String scratch) {
    PostgresConnector copy =
        new PostgresConnector(settings.withDatabase(scratch), session, 0, console, sleeper);
    FlywayFactory flyway = new FlywayFactory(copy, image, session, schemas);
    if (adoptAt != null) {
      flyway = flyway.adoptingAt(adoptAt);
    }
    List<Report.Finding> findings = new ArrayList<>();
    Map<String, String> initial = catalog(copy);
    Map<String, String> before = initial;
    for (PlannedRevision revision : plan.revisions()) {
      try {
        flyway.create(MigrationVersion.fromVersion(revision.revision())).migrate();
      } catch (FlywayException e) {
        throw new RunnerException(
            Reason.RehearsalFailed,
            "revision "
                + revision.revision()
                + " ("
                + revision.upScript()
                + ") failed on a schema-only copy of schema "
                + schema
                + ", before anything ran on the database"
                + (e instanceof FlywayMigrateException m && m.getSqlState() != null
                    ? " (SQLState " + m.getSqlState() + ")"
                    : "")
                + ": "
                + Migrator.rootMessage(e),
            e);
      }
      Map<String, String> after = catalog(copy);
      findings.addAll(
          DestructiveChanges.between(
              initial,
              before,
              after,
              revision.revision(),
              revision.script() == null ? null : revision.script().sql(),
              revision.transactional()));
      before = after;
    }
    return findings;
  }

  private Map<String, String> catalog(PostgresConnector copy) {
    try (Connection c = copy.open()) {
      return CatalogSnapshot.capture(c, schema).objects();
    } catch (SQLException e) {
      throw new RunnerException(
          Reason.Internal,
          "cannot read the scratch copy's catalog: " + PostgresConnector.firstLine(e.getMessage()),
          e);
    }
  }

  /**
   * pg_dump of the database's schema (no data, no owners or grants) and of the history table's
   * rows, into the scratch database with psql. Returns why it could not, or null.
   */
  private String copySchema(String scratch, boolean historyTable) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("tidemark-rehearsal");
      Path ddl = dir.resolve("schema.sql");
      Path history = dir.resolve("history.sql");
      Map<String, String> source = settings.libpqEnvironment();
      String problem =
          tool(
              source, "pg_dump", "--schema-only", "--no-owner", "--no-privileges", "--file=" + ddl);
      boolean hasHistory = problem == null && historyTable;
      if (hasHistory) {
        problem =
            tool(
                source,
                "pg_dump",
                "--data-only",
                "--table=" + schema + "." + CliOptions.HISTORY_TABLE,
                "--file=" + history);
      }
      Map<String, String> target = new java.util.HashMap<>(source);
      target.put("PGDATABASE", scratch);
      for (Path file : hasHistory ? List.of(ddl, history) : List.of(ddl)) {
        if (problem == null) {
          problem =
              tool(target, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.toString());
        }
      }
      return problem == null ? null : "cannot copy the schema: " + problem;
    } catch (IOException e) {
      return "cannot copy the schema: " + e.getMessage();
    } finally {
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // a temporary folder left behind in the Job's /tmp
        }
      }
    }
  }

  /** Runs a PostgreSQL client tool; returns its error (first lines) or null. */
  private static String tool(Map<String, String> env, String... command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TOOL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return command[0] + " did not finish within " + TOOL_TIMEOUT_MINUTES + " minutes";
      }
      if (process.exitValue() != 0) {
        String text = new String(output, StandardCharsets.UTF_8).strip();
        return command[0]
            + " exited with "
            + process.exitValue()
            + ": "
            + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
      }
      return null;
    } catch (IOException e) {
      return command[0] + " is not available: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return command[0] + " was interrupted";
    }
  }

  /**
   * Drops this user's scratch databases left by killed rehearsals (older than {@value
   * #LEFTOVER_AFTER_SECONDS} s by their name); a rehearsal running elsewhere is younger.
   */
  private void dropLeftovers() {
    List<String> stale = new ArrayList<>();
    long now = System.currentTimeMillis() / 1000;
    try (Connection c = real.open();
        var statement =
            c.prepareStatement(
                "SELECT datname FROM pg_database WHERE datname LIKE ?"
                    + " AND pg_get_userbyid(datdba) = current_user")) {
      statement.setString(1, SCRATCH_PREFIX.replace("_", "\\_") + "%");
      try (var rs = statement.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String[] parts = name.substring(SCRATCH_PREFIX.length()).split("_");
          if (parts.length == 2
              && parts[0].matches("\\d{1,12}")
              && parts[1].matches("[0-9a-f]{1,32}")
              && now - Long.parseLong(parts[0]) > LEFTOVER_AFTER_SECONDS) {
            stale.add(name);
          }
        }
      }
    } catch (SQLException e) {
      return; // best effort: a leftover costs disk, not correctness
    }
    for (String name : stale) {
      console.progress("dropping " + name + ", left by an earlier rehearsal that did not finish");
      drop(name);
    }
  }

  private void drop(String scratch) {
    try {
      execute(real, "DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)");
    } catch (SQLException e) {
      try {
        // Before PostgreSQL 13 there is no WITH (FORCE); the copy's connections are closed.
        execute(real, "DROP DATABASE IF EXISTS " + scratch);
      } catch (SQLException again) {
        console.err(
            "tidemark: warning: could not drop the scratch database "
                + scratch
                + ": "
                + PostgresConnector.firstLine(again.getMessage())
                + "; drop it by hand");
      }
    }
  }

  private static void execute(PostgresConnector connector, String sql) throws SQLException {
    try (Connection c = connector.open();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
