package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runner's process killed (SIGKILL, as when its pod is deleted or evicted) in the middle of a
 * transactional revision, a non-transactional one and an undo: the database, its history and the
 * next run agree, and the killed run's session ends on its own (the runner sets
 * client_connection_check_interval), so it does not hold the migration lock for long.
 */
class RunnerKilledTest extends PostgresTestSupport {
  /**
   * A revision that waits while the table {@code hold} exists, so that the test can kill the runner
   * in it.
   */
  private static final String WAIT_WHILE_HELD =
      "SELECT pg_sleep(CASE WHEN to_regclass('hold') IS NULL THEN 0 ELSE 120 END);";

  @Test
  void killedDuringATransactionalRevisionLeavesTheLastGoodRevisionAndTheRetryGoesOn()
      throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);\nCREATE TABLE hold ();",
                "V2__b.sql", "CREATE TABLE b (id int);\n" + WAIT_WHILE_HELD,
                "V3__c.sql", "CREATE TABLE c (id int);"));
    assertThat(run("migrate", "--location", chain.toString(), "--target", "1").exit()).isZero();

    killDuring("pg_sleep", "migrate", "--location", chain.toString());

    assertThat(history()).containsExactly("1");
    assertThat(query("SELECT count(*) FROM pg_tables WHERE tablename = 'b'")).containsExactly("0");
    exec("DROP TABLE hold");
    Run retry = run("migrate", "--location", chain.toString(), "--lock-timeout", "30s");
    assertThat(retry.exit()).as(retry.all()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
  }

  @Test
  void killedDuringANonTransactionalRevisionLeavesAnInvalidIndexThatClearingRemoves()
      throws Exception {
    Path chain = chain(CONCURRENT_INDEX_CHAIN);
    assertThat(run("migrate", "--location", chain.toString(), "--target", "1").exit()).isZero();
    try (Connection writer = admin();
        Statement s = writer.createStatement()) {
      // A writer's open transaction: the index build waits for it (lock_timeout 0 waits forever).
      writer.setAutoCommit(false);
      s.execute("INSERT INTO tasks VALUES (1, 'in flight')");
      killDuring(
          "CREATE INDEX CONCURRENTLY",
          "migrate",
          "--location",
          chain.toString(),
          "--lock-timeout",
          "0");
      writer.rollback();
    }

    // No failed row (the runner died before Flyway could write one), an INVALID index left.
    assertThat(history()).containsExactly("1");
    Run plan = run("plan", "--location", chain.toString());
    assertThat(plan.out())
        .contains(
            "Invalid indexes (left by a CREATE INDEX CONCURRENTLY that failed): public.tasks_title");
    Run cleared = run("migrate", "--location", chain.toString(), "--clear-failed", "2");
    assertThat(cleared.exit()).as(cleared.all()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
    assertThat(query("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).containsExactly("0");
  }

  @Test
  void killedDuringAnUndoLeavesTheRevisionAppliedAndTheUndoCanRunAgain() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);",
                "V2__b.sql", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);",
                "U2__b.sql", "DROP TABLE b;\n" + WAIT_WHILE_HELD));
    assertThat(run("migrate", "--location", chain.toString()).exit()).isZero();
    exec("CREATE TABLE hold ()");

    killDuring("pg_sleep", "undo", "--location", chain.toString(), "--target", "1");

    assertThat(history()).containsExactly("1", "2");
    assertThat(query("SELECT count(*) FROM b")).containsExactly("1");
    exec("DROP TABLE hold");
    Run retry =
        run("undo", "--location", chain.toString(), "--target", "1", "--lock-timeout", "30s");
    assertThat(retry.exit()).as(retry.all()).isZero();
    assertThat(history()).containsExactly("1");
  }

  @Test
  void killedDuringAChangeAfterItsBackupLeavesEveryOlderDumpInPlace() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql",
                "CREATE TABLE a (id int);\nCREATE TABLE hold ();",
                "V2__b.sql",
                "CREATE TABLE b (id int);\n" + WAIT_WHILE_HELD));
    assertThat(run("migrate", "--location", chain.toString(), "--target", "1").exit()).isZero();
    Path backups = Files.createDirectories(tmp.resolve("backups"));
    // The dump the status names as the last backup: with keep 1, the new dump makes it one too
    // many, but only once the change is over.
    String older = "shop_todo_20250101T000000Z_r1.dump";
    Files.writeString(backups.resolve(older), "older dump");

    killDuring(
        "pg_sleep",
        "change",
        "--location",
        chain.toString(),
        "--backup-dir",
        backups.toString(),
        "--backup-prefix",
        "shop_todo_",
        "--backup-keep",
        "1");

    List<String> dumps;
    try (Stream<Path> files = Files.list(backups)) {
      dumps = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(dumps).hasSize(2).contains(older);
    assertThat(dumps).anyMatch(name -> name.startsWith("shop_todo_") && name.endsWith("_r1.dump"));
    assertThat(history()).containsExactly("1");
  }

  /**
   * Starts the runner in its own JVM, waits until its session runs a statement containing {@code
   * marker}, kills the process, and waits until the server has ended that session.
   */
  private void killDuring(String marker, String... args) throws Exception {
    Process runner = runnerProcess(args);
    try {
      int pid = awaitSession(marker, runner);
      runner.destroyForcibly();
      assertThat(runner.waitFor(30, TimeUnit.SECONDS)).isTrue();
      awaitGone(pid);
    } finally {
      runner.destroyForcibly();
    }
  }

  /**
   * The killed runner's session ends once the server notices (client_connection_check_interval).
   */
  private void awaitGone(int pid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (single("SELECT pid FROM pg_stat_activity WHERE pid = " + pid) == null) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the killed runner's session " + pid + " was still there after 60 s");
  }

  private Integer single(String sql) throws SQLException {
    try (Connection c = postgres.getDatabase("postgres", "postgres").getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getInt(1) : null;
    }
  }
}
