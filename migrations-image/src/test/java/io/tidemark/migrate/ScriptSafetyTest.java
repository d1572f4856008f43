package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a script cannot do to the runner: lift its limits, or end its transaction part-way. */
class ScriptSafetyTest extends PostgresTestSupport {

  @Test
  void resetAllInOneScriptDoesNotLiftTheLockTimeoutOfTheNext() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__orders.sql", "CREATE TABLE orders (id int);",
                "V2__reset.sql", "RESET ALL;\nSET lock_timeout = 0;",
                "V3__settings.sql",
                    "CREATE TABLE settings AS SELECT current_setting('lock_timeout') AS lock_timeout;",
                "V4__alter_orders.sql", "ALTER TABLE orders ADD COLUMN note text;"));
    assertThat(
            run("migrate", "--location", chain.toString(), "--target", "3", "--lock-timeout", "1s")
                .exit())
        .isZero();
    assertThat(query("SELECT lock_timeout FROM settings")).containsExactly("1s");

    // The application holds a lock on orders. Released after 30 s at the latest, so that a
    // runner without the limit would end too, and succeed: the assertions below would catch it.
    ScheduledExecutorService release = Executors.newSingleThreadScheduledExecutor();
    try (Connection holder = admin();
        Statement s = holder.createStatement()) {
      holder.setAutoCommit(false);
      s.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
      release.schedule(
          () -> {
            holder.rollback();
            return null;
          },
          30,
          TimeUnit.SECONDS);

      Run run = run("migrate", "--location", chain.toString(), "--lock-timeout", "1s");

      assertThat(run.exit()).as(run.err()).isEqualTo(1);
      assertThat(run.report()).contains("55P03", "lock timeout");
      holder.rollback();
    } finally {
      release.shutdownNow();
    }
    assertThat(history()).containsExactly("1", "2", "3");
    assertThat(query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'"))
        .containsExactly("0");
  }

  /**
   * A session that holds the migration lock (here as a runner killed mid-run would leave it until
   * the server notices): migrate and undo wait lock_timeout, then fail in Tidemark's words, as a
   * cause that clears by itself (exit 4), with nothing changed.
   */
  @Test
  void aMigrationLockHeldElsewhereEndsAfterTheLockTimeoutWithNothingChanged() throws Exception {
    assertThat(run("migrate", "--target", "2").exit()).isZero();
    try (Connection holder = admin();
        Statement s = holder.createStatement()) {
      s.execute(
          "SELECT pg_advisory_lock("
              + MigrationLock.number("\"public\".\"flyway_schema_history\"")
              + ")");
      for (String[] args :
          List.of(
              new String[] {"migrate", "--lock-timeout", "2s"},
              new String[] {"undo", "--target", "1", "--lock-timeout", "2s"})) {
        Run run = run(args);
        assertThat(run.exit()).as(run.err()).isEqualTo(4);
        assertThat(run.report())
            .contains(
                "\"reason\":\"MigrationLockHeld\"",
                "another session holds the migration lock",
                "nothing was changed",
                "pg_stat_activity",
                "\"current\":\"2\"")
            .doesNotContain("lockRetryCount");
      }
    }
    assertThat(history()).containsExactly("1", "2");
    assertThat(run("migrate", "--lock-timeout", "2s").exit())
        .as("once the session ends, the lock is free")
        .isZero();
  }

  @Test
  void undoScriptsGetTheLimitsAgainToo() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__probe.sql", "CREATE TABLE probe (lock_timeout text);",
                "V2__a.sql", "CREATE TABLE a (id int);",
                "V3__b.sql", "CREATE TABLE b (id int);",
                "U3__b.sql", "RESET ALL;\nDROP TABLE b;",
                "U2__a.sql",
                    "INSERT INTO probe SELECT current_setting('lock_timeout');\nDROP TABLE a;"));
    assertThat(run("migrate", "--location", chain.toString(), "--lock-timeout", "2s").exit())
        .isZero();

    Run undo = run("undo", "--location", chain.toString(), "--target", "1", "--lock-timeout", "2s");

    assertThat(undo.exit()).as(undo.err()).isZero();
    assertThat(query("SELECT lock_timeout FROM probe")).containsExactly("2s");
  }

  @Test
  void transactionControlInATransactionalScriptIsRefusedBeforeAnythingRuns() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__ok.sql",
                "CREATE TABLE ok (id int);",
                "V2__partial.sql",
                "CREATE TABLE first_half (id int);\n-- done with the first half\n  commit;\n"
                    + "CREATE TABLE second_half (id int);"));

    Run run = run("migrate", "--location", chain.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.report())
        .contains(
            "ValidationFailed",
            "V2__partial.sql, line 3: COMMIT ends the transaction the script runs in",
            "executeInTransaction=false in V2__partial.sql.conf");
    assertThat(history()).isEmpty();
    assertThat(tables()).isEmpty();

    // The same statements are fine where they belong: in a non-transactional script...
    Files.writeString(chain.resolve("V2__partial.sql.conf"), "executeInTransaction=false\n");
    assertThat(run("validate", "--location", chain.toString()).exit()).isZero();
  }

  @Test
  void transactionWordsInsideFunctionBodiesAndSavepointsAreNotTransactionControl()
      throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__functions.sql",
                    String.join(
                        "\n",
                        "CREATE TABLE t (id int);",
                        "CREATE PROCEDURE batch() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (1); COMMIT; END $$;",
                        "CREATE FUNCTION sign_of(x int) RETURNS text LANGUAGE sql",
                        "BEGIN ATOMIC",
                        "  SELECT CASE WHEN x < 0 THEN 'negative' ELSE 'not negative' END;",
                        "END;",
                        "SAVEPOINT before_insert;",
                        "INSERT INTO t VALUES (2);",
                        "ROLLBACK TO SAVEPOINT before_insert;",
                        "DO $$ BEGIN PERFORM 1; END $$;"),
                "U1__functions.sql",
                    String.join(
                        "\n",
                        "DROP FUNCTION sign_of(int);",
                        "DROP PROCEDURE batch();",
                        "DROP TABLE t;")));

    Run run = run("migrate", "--location", chain.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(query("SELECT sign_of(-1), sign_of(1)")).containsExactly("negative|not negative");
    assertThat(query("SELECT count(*) FROM t")).containsExactly("0");
    assertThat(run("undo", "--location", chain.toString(), "--target", "0").exit()).isZero();
    assertThat(tables()).isEmpty();
  }

  @Test
  void timeoutsLongerThanPostgreSqlAcceptsAreBadInputNotConnectionFailures() throws Exception {
    for (List<String> option :
        List.of(
            List.of("--lock-timeout", "999999999h"),
            List.of("--statement-timeout", "596524h"),
            List.of("--lock-timeout", "2147483648"))) {
      Run run = run("migrate", option.get(0), option.get(1));
      assertThat(run.exit()).as(option.toString()).isEqualTo(3);
      assertThat(run.report()).contains("InvalidArgument", "longer than PostgreSQL accepts");
    }
    // The largest value PostgreSQL takes is accepted.
    assertThat(run("info", "--lock-timeout", "2147483647").exit()).isZero();
  }

  @Test
  void anUndoScriptWithoutItsMigrationIsNamedNotIgnored() throws Exception {
    Path chain =
        chain(
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);",
                "U1__a.sql", "DROP TABLE a;",
                "U2__typo_in_the_version.sql", "DROP TABLE b;"));

    Run run = run("migrate", "--location", chain.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.report())
        .contains("U2__typo_in_the_version.sql: undo script for revision 2, which has no V script");
    assertThat(history()).isEmpty();
  }
}
