package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code change} on a real PostgreSQL with the host's pg_dump: plan, checks, backup and migrate or
 * undo in one process, with a report stage by stage. A refused check changes nothing and takes no
 * backup; a failed backup runs no migration; a failed migration says how far it got.
 */
class ChangeTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "shop_todo_";

  private Path backups() throws Exception {
    return Files.createDirectories(tmp.resolve("backups"));
  }

  private List<String> dumps() throws Exception {
    try (Stream<Path> files = Files.list(backups())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Run change(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("change"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private static List<String> stages(JsonNode report) {
    List<String> stages = new ArrayList<>();
    report.get("stages").forEach(s -> stages.add(s.get("name").asText() + ":" + s.get("ok")));
    return stages;
  }

  @Test
  void aChangeIsPlannedBackedUpAndMigratedInOneRunWithEachStageReported() throws Exception {
    assertThat(run("migrate", "--target", "2").exit()).isZero();
    Run run =
        change("--target", "4", "--backup-dir", backups().toString(), "--backup-prefix", PREFIX);
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("command").asText()).isEqualTo("change");
    assertThat(report.get("from").asText()).isEqualTo("2");
    assertThat(report.get("current").asText()).isEqualTo("4");
    assertThat(report.get("direction").asText()).isEqualTo("up");
    assertThat(report.get("revisions").toString()).isEqualTo("[\"3\",\"4\"]");
    assertThat(stages(report)).containsExactly("plan:true", "backup:true", "migrate:true");
    assertThat(report.get("stages").get(2).get("count").asInt()).isEqualTo(2);
    String file = report.get("file").asText();
    assertThat(file).startsWith(PREFIX).endsWith("_r2.dump");
    assertThat(dumps()).containsExactly(file);
    assertThat(Files.size(backups().resolve(file))).isEqualTo(report.get("sizeBytes").asLong());
    assertThat(history()).containsExactly("1", "2", "3", "4");
    // The dump holds the database as it was before the change: revision 2.
    ProcessBuilder list =
        new ProcessBuilder("pg_restore", "--list", backups().resolve(file).toString())
            .redirectErrorStream(true);
    String toc = new String(list.start().getInputStream().readAllBytes());
    assertThat(toc).contains("TABLE public tasks").doesNotContain("tasks_title");
  }

  @Test
  void atTheTargetNothingRunsAndNoBackupIsTaken() throws Exception {
    assertThat(run("migrate", "--target", "3").exit()).isZero();
    Run run =
        change("--target", "3", "--backup-dir", backups().toString(), "--backup-prefix", PREFIX);
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("direction").asText()).isEqualTo("none");
    assertThat(stages(report)).containsExactly("plan:true");
    assertThat(dumps()).isEmpty();
  }

  @Test
  void aDowngradeIsRefusedUnlessAllowedAndThenUndoneAfterItsBackup() throws Exception {
    assertThat(run("migrate", "--target", "4").exit()).isZero();
    Run refused =
        change("--target", "2", "--backup-dir", backups().toString(), "--backup-prefix", PREFIX);
    assertThat(refused.exit()).isEqualTo(3);
    JsonNode report = JSON.readTree(refused.report());
    assertThat(report.get("reason").asText()).isEqualTo("DowngradeNotAllowed");
    assertThat(report.get("direction").asText()).isEqualTo("down");
    assertThat(stages(report)).containsExactly("plan:false");
    assertThat(dumps()).isEmpty();
    assertThat(history()).containsExactly("1", "2", "3", "4");

    Run undone =
        change(
            "--target",
            "2",
            "--allow-downgrade",
            "--backup-dir",
            backups().toString(),
            "--backup-prefix",
            PREFIX);
    assertThat(undone.exit()).as(undone.err()).isZero();
    report = JSON.readTree(undone.report());
    assertThat(stages(report)).containsExactly("plan:true", "backup:true", "undo:true");
    assertThat(report.get("current").asText()).isEqualTo("2");
    assertThat(report.get("revisions").toString()).isEqualTo("[\"4\",\"3\"]");
    assertThat(report.get("file").asText()).endsWith("_r4.dump");
    assertThat(history()).containsExactly("1", "2");
  }

  @Test
  void aRevisionWithoutUndoIsRefusedWhenARollbackWouldNeedIt() throws Exception {
    Path chain = copyOfChain();
    Files.delete(chain.resolve("U3__tasks_title_index.sql"));
    Files.delete(chain.resolve("U3__tasks_title_index.sql.conf"));
    Run run = change("--target", "3", "--require-undo", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(3);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("reason").asText()).isEqualTo("NoWayBack");
    assertThat(report.get("message").asText()).contains("revision(s) 3 have no undo script");
    assertThat(report.get("undoMissing").toString()).isEqualTo("[\"3\"]");
    assertThat(history()).isEmpty();
  }

  @Test
  void anApprovedPlanRunsOnlyWhileScriptsAndDatabaseAreAsApproved() throws Exception {
    assertThat(run("migrate", "--target", "1").exit()).isZero();
    JsonNode plan = JSON.readTree(run("plan", "--target", "3").report());
    String digest = plan.get("digest").asText();

    Run otherScripts =
        change("--target", "3", "--expect-digest", "sha256:0000", "--expect-from", "1");
    assertThat(otherScripts.exit()).isEqualTo(3);
    assertThat(JSON.readTree(otherScripts.report()).get("reason").asText())
        .isEqualTo("PlanChanged");

    assertThat(run("migrate", "--target", "2").exit()).isZero();
    Run moved = change("--target", "3", "--expect-digest", digest, "--expect-from", "1");
    assertThat(moved.exit()).isEqualTo(3);
    assertThat(JSON.readTree(moved.report()).get("message").asText())
        .contains("the database is at revision 2, not 1");
    assertThat(history()).containsExactly("1", "2");

    Run approved = change("--target", "3", "--expect-digest", digest, "--expect-from", "2");
    assertThat(approved.exit()).as(approved.err()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
  }

  @Test
  void aBackupThatCannotBeWrittenRunsNoMigrationAndPrunesNothing() throws Exception {
    Path backups = backups();
    Files.writeString(backups.resolve(PREFIX + "20250101T000000Z_r1.dump"), "older dump");
    Run run =
        change(
            "--target",
            "2",
            "--backup-dir",
            backups.resolve("not-mounted").toString(),
            "--backup-prefix",
            PREFIX,
            "--backup-keep",
            "1");
    assertThat(run.exit()).isEqualTo(7);
    JsonNode report = JSON.readTree(run.report());
    assertThat(report.get("reason").asText()).isEqualTo("BackupFailed");
    assertThat(report.get("message").asText())
        .contains("not mounted")
        .contains("nothing was changed");
    assertThat(stages(report)).containsExactly("plan:true", "backup:false");
    assertThat(history()).isEmpty();
    assertThat(dumps()).containsExactly(PREFIX + "20250101T000000Z_r1.dump");
  }

  @Test
  void olderDumpsOfTheSamePrefixArePrunedAfterTheNewOneIsKeptOthersNever() throws Exception {
    Path backups = backups();
    for (String name :
        List.of(
            PREFIX + "20250101T000000Z_r1.dump",
            PREFIX + "20250102T000000Z_r1.dump",
            "shop_other_20250101T000000Z_r1.dump",
            "my-own-copy.dump")) {
      Files.writeString(backups.resolve(name), "x");
    }
    Run run =
        change(
            "--target",
            "1",
            "--backup-dir",
            backups.toString(),
            "--backup-prefix",
            PREFIX,
            "--backup-keep",
            "1",
            "--backup-protect",
            PREFIX + "20250101T000000Z_r1.dump");
    assertThat(run.exit()).as(run.err()).isZero();
    String file = JSON.readTree(run.report()).get("file").asText();
    assertThat(dumps())
        .containsExactlyInAnyOrder(
            file,
            PREFIX + "20250101T000000Z_r1.dump",
            "shop_other_20250101T000000Z_r1.dump",
            "my-own-copy.dump");
  }

  @Test
  void aFailedMigrationSaysHowFarItGotAfterItsBackup() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);",
                "V2__b.sql", "CREATE TABLE b (id int);",
                "V3__broken.sql", "CREATE TABLE c (id int REFERENCES nowhere(id));"));
    Run run =
        change(
            "--location",
            chain.toString(),
            "--backup-dir",
            backups().toString(),
            "--backup-prefix",
            PREFIX);
    assertThat(run.exit()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.report());
    assertThat(stages(report)).containsExactly("plan:true", "backup:true", "migrate:false");
    assertThat(report.get("stages").get(2).get("count").asInt()).isEqualTo(2);
    assertThat(report.get("revisions").toString()).isEqualTo("[\"1\",\"2\",\"3\"]");
    assertThat(report.get("failed").asText()).isEqualTo("3");
    assertThat(report.get("current").asText()).isEqualTo("2");
    assertThat(dumps()).hasSize(1);
  }

  @Test
  void aChangeStageThatFailsBeforeItsFirstRevisionCountsNone() throws Exception {
    assertThat(run("migrate", "--target", "1").exit()).isZero();
    try (java.sql.Connection holder = admin();
        java.sql.Statement s = holder.createStatement()) {
      s.execute(
          "SELECT pg_advisory_lock("
              + MigrationLock.number("\"public\".\"flyway_schema_history\"")
              + ")");
      Run run = change("--target", "3", "--lock-timeout", "2s");
      assertThat(run.exit()).as(run.err()).isEqualTo(4);
      JsonNode report = JSON.readTree(run.report());
      assertThat(report.get("reason").asText()).isEqualTo("MigrationLockHeld");
      assertThat(stages(report)).containsExactly("plan:true", "migrate:false");
      assertThat(report.get("stages").get(1).get("count").asInt()).isZero();
      // The planned revisions stay in the report: what the change was for.
      assertThat(report.get("revisions").toString()).isEqualTo("[\"2\",\"3\"]");
      assertThat(report.get("current").asText()).isEqualTo("1");
    }
    assertThat(history()).containsExactly("1");
  }
}
