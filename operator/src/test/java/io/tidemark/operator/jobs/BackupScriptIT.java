package io.tidemark.operator.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.operator.model.DatabaseSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore scripts as the Jobs run them ({@code /bin/sh -c SCRIPT}, inputs in the
 * environment), with this machine's pg_dump, pg_restore and psql against an embedded PostgreSQL.
 * What is asserted is what is on the volume and in the database afterwards.
 */
class BackupScriptIT {
  static EmbeddedPostgres postgres;

  @TempDir Path volume;
  @TempDir Path scratch;
  DatabaseSchema resource;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
    sql("postgres", "CREATE DATABASE shop");
    sql("postgres", "CREATE DATABASE other");
    sql("shop", "CREATE TABLE orders (id int PRIMARY KEY, note text)");
    sql(
        "shop",
        "INSERT INTO orders SELECT g, repeat('order ', 50) FROM generate_series(1, 2000) g");
    sql("other", "CREATE TABLE invoices (id int PRIMARY KEY)");
    sql("other", "INSERT INTO invoices VALUES (1), (2)");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void resource() {
    resource = new DatabaseSchema();
    resource.getMetadata().setNamespace("shop");
    resource.getMetadata().setName("todo");
  }

  @Test
  void pruningNeverRemovesTheNewDumpNorFilesTidemarkDidNotWrite() throws Exception {
    List<String> foreign =
        List.of(
            "shop_todo_manual-before-upgrade.dump", // a person's dump, sorts after every timestamp
            "shop_todo_20240101T000000Z_r3_manual.dump", // looks like ours, but is not our exact
            // pattern
            "shop_todo_20240101T000000Z_r3.dump.bak",
            "shop_todo-api_20240101T000000Z_r1.dump", // another resource's dump
            "notes.txt");
    for (String f : foreign) {
      Files.writeString(volume.resolve(f), "kept");
    }
    // Ours, older, and one whose timestamp is in the future (a skewed clock): all beyond keep 1.
    List<String> ours =
        List.of("shop_todo_20240101T000000Z_r3.dump", "shop_todo_20991231T235959Z_r9.dump");
    for (String f : ours) {
      Files.writeString(volume.resolve(f), "old");
    }
    String file = BackupFiles.fileName(resource, Instant.parse("2026-01-02T03:04:05Z"), "4");

    Run run = backup(file, 1, "", Map.of());

    assertThat(run.exit).as(run.stderr).isZero();
    assertThat(files()).containsExactlyInAnyOrderElementsOf(concat(foreign, List.of(file)));
    for (String f : foreign) {
      assertThat(volume.resolve(f)).hasContent("kept");
    }
    JsonNode report = run.report();
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("verified").asBoolean()).isTrue();
    assertThat(report.get("file").asText()).isEqualTo(file);
    assertThat(report.get("sizeBytes").asLong()).isEqualTo(Files.size(volume.resolve(file)));
    assertThat(report.get("entries").asInt()).isPositive();
    assertThat(BackupFiles.isTidemarkDump(resource, file)).isTrue();
    foreign.forEach(f -> assertThat(BackupFiles.isTidemarkDump(resource, f)).as(f).isFalse());
  }

  /**
   * A backup Job whose pod was killed mid-dump left its hidden partial file; the next backup
   * removes it.
   */
  @Test
  void partialFilesOfBackupsThatWereStoppedAreRemovedByTheNextOneButNothingElse() throws Exception {
    List<String> stale =
        List.of(
            ".shop_todo_20240101T000000Z_r3.dump.partial",
            ".shop_todo_20240101T000000Z_r3.dump.list");
    List<String> kept =
        List.of(
            ".shop_todo_mine.dump.partial",
            ".shop_todo-api_20240101T000000Z_r1.dump.partial",
            "shop_todo_20240101T000000Z_r3.dump.partial");
    for (String f : concat(stale, kept)) {
      Files.writeString(volume.resolve(f), "half a dump");
    }
    String file = BackupFiles.fileName(resource, Instant.parse("2026-01-02T03:04:05Z"), "4");

    Run run = backup(file, 5, "", Map.of());

    assertThat(run.exit).as(run.stderr).isZero();
    assertThat(files()).containsExactlyInAnyOrderElementsOf(concat(kept, List.of(file)));
    assertThat(run.stderr)
        .contains(
            "removing .shop_todo_20240101T000000Z_r3.dump.partial, left by a backup that was stopped");
  }

  @Test
  void keepCountsTheNewDumpAndKeepsTheNewestOthersByTheTimestampInTheName() throws Exception {
    List<String> ours =
        List.of(
            "shop_todo_20240101T000000Z_r9.dump",
            "shop_todo_20240301T000000Z_r1.dump",
            "shop_todo_20240201T000000Z_r10.dump",
            "shop_todo_20231231T235959Z_r2025.01.31.2.dump");
    for (String f : ours) {
      Files.writeString(volume.resolve(f), "old");
    }
    String protect = "shop_todo_20200101T000000Z_r1.dump"; // the dump a restore is about to use
    Files.writeString(volume.resolve(protect), "restore me");
    String file = BackupFiles.fileName(resource, Instant.parse("2026-01-02T03:04:05Z"), "12");

    Run run = backup(file, 3, protect, Map.of());

    assertThat(run.exit).as(run.stderr).isZero();
    assertThat(files())
        .containsExactlyInAnyOrder(
            file,
            protect,
            "shop_todo_20240301T000000Z_r1.dump",
            "shop_todo_20240201T000000Z_r10.dump");
  }

  @Test
  void aDumpThatCannotBeReadBackFailsAndLeavesTheVolumeAsItWas() throws Exception {
    Files.writeString(volume.resolve("shop_todo_20240101T000000Z_r3.dump"), "old");
    // A pg_dump that "succeeds" but writes something pg_restore cannot read (a truncated archive).
    Path bin = Files.createDirectory(scratch.resolve("bin"));
    Path fake = bin.resolve("pg_dump");
    Files.writeString(
        fake,
        "#!/bin/sh\nfor a; do case \"$a\" in --file=*) printf 'PGDMP' > \"${a#--file=}\";; esac; done\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));

    Run run =
        backup(
            "shop_todo_20260102T030405Z_r4.dump",
            1,
            "",
            Map.of("PATH", bin + ":" + System.getenv("PATH")));

    assertThat(run.exit).isNotZero();
    assertThat(run.stderr)
        .contains("cannot be read back by pg_restore --list", "no backup was kept");
    assertThat(files()).containsExactly("shop_todo_20240101T000000Z_r3.dump");
    assertThat(run.terminationLog()).isEmpty();
  }

  @Test
  void aServerThatIsDownOrRestartingFailsTheBackupWithNothingPrunedAndNothingLeft()
      throws Exception {
    Files.writeString(volume.resolve("shop_todo_20240101T000000Z_r3.dump"), "old");
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    Run run =
        backup(
            "shop_todo_20260102T030405Z_r4.dump",
            1,
            "",
            Map.of("PGPORT", Integer.toString(closed)));

    assertThat(run.exit).isNotZero();
    assertThat(run.stderr).contains("pg_dump failed", "no backup was kept and nothing was changed");
    assertThat(files())
        .as("no partial file, nothing pruned")
        .containsExactly("shop_todo_20240101T000000Z_r3.dump");
    assertThat(run.terminationLog()).isEmpty();
  }

  @Test
  void aFullVolumeFailsTheBackupWithNothingPruned() throws Exception {
    Files.writeString(volume.resolve("shop_todo_20240101T000000Z_r3.dump"), "old");
    // The volume takes 8 KiB at most (the dump of 2,000 rows is larger): pg_dump's write fails.
    Run run = backup("shop_todo_20260102T030405Z_r4.dump", 1, "", Map.of(), "ulimit -f 16;");

    assertThat(run.exit).isNotZero();
    assertThat(run.stderr).contains("pg_dump failed", "no backup was kept and nothing was changed");
    assertThat(files()).containsExactly("shop_todo_20240101T000000Z_r3.dump");
    assertThat(run.terminationLog()).isEmpty();
  }

  @Test
  void aMissingVolumeIsNamedInTheError() throws Exception {
    Run run =
        run(
            BackupScript.SCRIPT,
            env(
                "shop",
                backupVars(
                    volume.resolve("not-mounted").toString(),
                    "shop_todo_20260102T030405Z_r4.dump",
                    "shop_todo_",
                    1,
                    "")),
            "");

    assertThat(run.exit).isNotZero();
    assertThat(run.stderr)
        .contains("the backup volume is not mounted at " + volume.resolve("not-mounted"));
  }

  @Test
  void restoreRefusesADumpOfAnotherDatabase() throws Exception {
    String file = "shop_todo_20260102T030405Z_r4.dump";
    Run dump =
        run(
            BackupScript.SCRIPT,
            env("other", backupVars(volume.toString(), file, "shop_todo_", 5, "")),
            "");
    assertThat(dump.exit).as(dump.stderr).isZero();

    Run restore = restore(file, "public");

    assertThat(restore.exit).isNotZero();
    assertThat(restore.stderr)
        .contains("is a dump of database 'other', not 'shop'; nothing was changed");
    assertThat(count("shop", "SELECT count(*) FROM orders")).isEqualTo(2000);
    assertThat(count("shop", "SELECT count(*) FROM pg_tables WHERE tablename = 'invoices'"))
        .isZero();
  }

  @Test
  void restoreOfItsOwnDatabasesDumpPutsTheRowsBack() throws Exception {
    String file = "shop_todo_20260102T030405Z_r4.dump";
    assertThat(backup(file, 5, "", Map.of()).exit).isZero();
    sql("shop", "CREATE TABLE created_by_a_bad_migration (id int)");
    sql("shop", "DELETE FROM orders WHERE id > 10");

    Run restore = restore(file, "public");

    assertThat(restore.exit).as(restore.stderr).isZero();
    assertThat(count("shop", "SELECT count(*) FROM orders")).isEqualTo(2000);
    assertThat(
            count(
                "shop",
                "SELECT count(*) FROM pg_tables WHERE tablename = 'created_by_a_bad_migration'"))
        .isZero();
  }

  @Test
  void restoreOfSeveralSchemasPutsThemAllBackInOneTransaction() throws Exception {
    sql("shop", "CREATE SCHEMA audit");
    sql("shop", "COMMENT ON SCHEMA audit IS 'who did what'");
    sql(
        "shop",
        "CREATE TABLE audit.events (id int PRIMARY KEY, order_id int REFERENCES public.orders(id))");
    sql("shop", "INSERT INTO audit.events SELECT id, id FROM orders WHERE id <= 100");
    String file = "shop_todo_20260102T030405Z_r5.dump";
    assertThat(backup(file, 5, "", Map.of()).exit).isZero();

    // A bad change in both schemas.
    sql("shop", "DELETE FROM audit.events WHERE id > 10");
    sql("shop", "CREATE TABLE audit.created_by_a_bad_migration (id int)");
    sql("shop", "DELETE FROM orders WHERE id > 500");

    Run restore = restore(file, "public audit");
    assertThat(restore.exit).as(restore.stderr).isZero();
    assertThat(restore.stderr).contains("restoring schemas public audit");
    assertThat(count("shop", "SELECT count(*) FROM orders")).isEqualTo(2000);
    assertThat(count("shop", "SELECT count(*) FROM audit.events")).isEqualTo(100);
    assertThat(
            count(
                "shop",
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'audit'"
                    + " AND tablename = 'created_by_a_bad_migration'"))
        .isZero();
    assertThat(
            count(
                "shop",
                "SELECT count(*) FROM pg_description d JOIN pg_namespace n ON d.objoid = n.oid"
                    + " WHERE n.nspname = 'audit' AND d.description = 'who did what'"))
        .as("the schema's comment is restored with it")
        .isEqualTo(1);

    // A restore that cannot finish changes nothing, in either schema: a schema that is not in the
    // dump is created empty, but the failing statement after it rolls everything back.
    sql("shop", "DELETE FROM audit.events WHERE id > 50");
    sql("shop", "DELETE FROM orders WHERE id > 1500");
    sql("shop", "CREATE TABLE public.blocker (id int)");
    Run failing = restore(file, "public audit \"bad name\"");
    assertThat(failing.exit).isNotZero();
    assertThat(count("shop", "SELECT count(*) FROM audit.events")).isEqualTo(50);
    assertThat(count("shop", "SELECT count(*) FROM orders")).isEqualTo(1500);
    assertThat(count("shop", "SELECT count(*) FROM pg_tables WHERE tablename = 'blocker'"))
        .isEqualTo(1);

    // The database as the other tests of this class expect it: public restored, no audit.
    assertThat(restore(file, "public").exit).isZero();
    sql("shop", "DROP SCHEMA audit CASCADE");
    assertThat(count("shop", "SELECT count(*) FROM orders")).isEqualTo(2000);
  }

  private Run restore(String file, String schemas) throws Exception {
    return run(
        RestoreScript.SCRIPT,
        env(
            "shop",
            Map.of(
                "BACKUP_DIR",
                volume.toString(),
                "BACKUP_FILE",
                file,
                "RESTORE_SCHEMAS",
                schemas,
                "RESTORE_LOCK_TIMEOUT",
                "5s")),
        "");
  }

  // ---- helpers ----------------------------------------------------------------------------

  private Run backup(String file, int keep, String protect, Map<String, String> extra)
      throws Exception {
    return backup(file, keep, protect, extra, "");
  }

  private Run backup(
      String file, int keep, String protect, Map<String, String> extra, String before)
      throws Exception {
    Map<String, String> vars =
        new HashMap<>(
            backupVars(volume.toString(), file, BackupFiles.prefix(resource), keep, protect));
    vars.putAll(extra);
    return run(BackupScript.SCRIPT, env("shop", vars), before);
  }

  private Map<String, String> env(String database, Map<String, String> vars) {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", "localhost");
    env.put("PGPORT", Integer.toString(postgres.getPort()));
    env.put("PGUSER", "postgres");
    env.put("PGDATABASE", database);
    env.put("PGSSLMODE", "disable");
    env.put("TERMINATION_LOG", scratch.resolve("termination-log").toString());
    env.putAll(vars);
    return env;
  }

  private Run run(String script, Map<String, String> env, String before) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", "-c", before + " exec /bin/sh -c \"$TIDEMARK_SCRIPT\"");
    pb.environment().putAll(env);
    pb.environment().put("TIDEMARK_SCRIPT", script);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Path err = scratch.resolve("stderr-" + System.nanoTime());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(err), scratch.resolve("termination-log"));
  }

  private record Run(int exit, String stderr, Path log) {
    String terminationLog() throws IOException {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    JsonNode report() throws IOException {
      return new ObjectMapper().readTree(terminationLog());
    }
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(volume)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void sql(String database, String sql) throws Exception {
    try (Connection c = postgres.getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(String database, String sql) throws Exception {
    try (Connection c = postgres.getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The backup script's variables: where, which file, which prefix's dumps to keep and protect. */
  private static Map<String, String> backupVars(
      String dir, String file, String prefix, int keep, String protect) {
    return Map.of(
        "BACKUP_DIR",
        dir,
        "BACKUP_FILE",
        file,
        "BACKUP_PREFIX",
        prefix,
        "BACKUP_KEEP",
        Integer.toString(keep),
        "BACKUP_PROTECT",
        protect);
  }
}
