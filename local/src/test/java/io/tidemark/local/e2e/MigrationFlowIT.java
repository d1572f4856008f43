package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.RunOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The happy paths: up from empty, up from the middle, down through undo scripts, with backups. */
class MigrationFlowIT extends E2eTestBase {
  static final String LATEST = "12";

  @Test
  void emptyDatabaseGoesToLatestWithABackupFirst() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "todo", TODO_IMAGE, "latest"));

    DatabaseSchema r = awaitReadyAt(ns, "todo", LATEST);

    assertThat(r.getStatus().getTargetRevision()).isEqualTo(LATEST);
    assertThat(r.getStatus().getLatestRevision()).isEqualTo(LATEST);
    assertThat(r.getStatus().getPendingRevisions()).isEmpty();
    assertThat(condition(r, "Ready"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("AtTargetRevision");
              assertThat(c.getObservedGeneration()).isEqualTo(r.getMetadata().getGeneration());
              assertThat(c.getLastTransitionTime()).isNotBlank();
            });
    assertThat(condition(r, "Degraded")).get().extracting("status").isEqualTo("False");
    assertThat(condition(r, "Progressing")).get().extracting("status").isEqualTo("False");

    // The database holds the whole chain.
    assertThat(appliedVersions(ns))
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
    assertThat(tables(ns))
        .contains(
            "users", "tasks", "tags", "task_tags", "recurring_tasks", "conversations", "messages");

    // One Job (one Pod) planned, backed up and migrated; no confirming plan.
    assertThat(jobs(ns, Step.CHANGE)).hasSize(1);
    assertThat(jobs(ns, Step.PLAN)).isEmpty();
    assertThat(jobs(ns, Step.BACKUP)).isEmpty();
    assertThat(jobs(ns, Step.MIGRATE)).isEmpty();
    assertThat(jobs(ns, Step.UNDO)).isEmpty();
    String job = jobs(ns, Step.CHANGE).get(0).getMetadata().getName();

    // The backup was taken before the change, of revision 0, and is on the claim.
    assertThat(r.getStatus().getLastBackup().getRevision()).isEqualTo("0");
    assertThat(r.getStatus().getLastBackup().getJob()).isEqualTo(job);
    assertThat(backupFolder(ns).resolve(r.getStatus().getLastBackup().getFile())).isRegularFile();
    assertThat(r.getStatus().getLastBackup().getSizeBytes()).isPositive();
    assertThat(r.getStatus().getLastRun().getAction()).isEqualTo(RunAction.MIGRATE);
    assertThat(r.getStatus().getLastRun().getJob()).isEqualTo(job);

    HistoryEntry applied = r.getStatus().getHistory().get(0);
    assertThat(applied.getAction()).isEqualTo(HistoryAction.APPLIED);
    assertThat(applied.getFrom()).isEqualTo("0");
    assertThat(applied.getTo()).isEqualTo(LATEST);
    assertThat(applied.getRevisions()).hasSize(12);
    assertThat(r.getStatus().getLastRun().getOutcome()).isEqualTo(RunOutcome.SUCCEEDED);

    // Events for what a person learns: the backup and the migration, not what started.
    assertThat(eventReasons(ns, "todo")).containsExactlyInAnyOrder("BackupCompleted", "Migrated");
  }

  @Test
  void upgradeFromAMiddleRevisionThenDowngradeThroughUndoScripts() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "todo", TODO_IMAGE, "4"));
    DatabaseSchema at4 = awaitReadyAt(ns, "todo", "4");
    assertThat(at4.getStatus().getLatestRevision()).isEqualTo(LATEST);
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3", "4");
    execute(ns, "INSERT INTO users (id, email, name) VALUES ('u1', 'ada@example.com', 'Ada')");

    edit(ns, "todo", r -> r.getSpec().setTargetRevision("latest"));
    DatabaseSchema latest = awaitReadyAt(ns, "todo", LATEST);
    assertThat(latest.getStatus().getHistory())
        .extracting(HistoryEntry::getAction)
        .containsExactly(HistoryAction.APPLIED, HistoryAction.APPLIED);
    assertThat(latest.getStatus().getHistory().get(0).getFrom()).isEqualTo("4");
    assertThat(latest.getStatus().getLastBackup().getRevision()).isEqualTo("4");

    edit(ns, "todo", r -> downgrade(r, "6"));
    DatabaseSchema at6 = awaitReadyAt(ns, "todo", "6");
    HistoryEntry undone = at6.getStatus().getHistory().get(0);
    assertThat(undone.getAction()).isEqualTo(HistoryAction.UNDONE);
    assertThat(undone.getFrom()).isEqualTo(LATEST);
    assertThat(undone.getTo()).isEqualTo("6");
    assertThat(undone.getRevisions()).containsExactly("12", "11", "10", "9", "8", "7");
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3", "4", "5", "6");
    assertThat(tables(ns)).doesNotContain("tags", "task_tags", "recurring_tasks");
    // Rows of the tables that existed before survive the undo.
    assertThat(column(ns, "SELECT email FROM users")).containsExactly("ada@example.com");
    assertThat(jobs(ns, Step.UNDO)).isEmpty();
    assertThat(at6.getStatus().getLastRun().getAction()).isEqualTo(RunAction.UNDO);
    // A backup before every change: 0 -> 4, 4 -> 12, 12 -> 6.
    assertThat(at6.getStatus().getLastBackup().getRevision()).isEqualTo(LATEST);
    try (Stream<Path> dumps = Files.list(backupFolder(ns))) {
      List<Path> files = dumps.filter(p -> p.getFileName().toString().endsWith(".dump")).toList();
      assertThat(files).hasSize(3);
    }
    assertThat(eventReasons(ns, "todo")).contains("Undone");
  }

  @Test
  void aTargetAtTheCurrentRevisionRunsNoBackupAndNoMigration() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "todo", TODO_IMAGE, "2"));
    DatabaseSchema first = awaitReadyAt(ns, "todo", "2");

    // A new generation that does not move the target: a plan, and nothing else.
    edit(ns, "todo", r -> r.getSpec().getBackup().setKeep(3));
    DatabaseSchema r =
        awaitStatus(
            ns,
            "todo",
            x ->
                x.getStatus().getPhase() == Phase.Ready
                    && x.getStatus().getLastPlan() != null
                    && x.getMetadata()
                        .getGeneration()
                        .equals(x.getStatus().getLastPlan().getGeneration()));
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("2");
    // A second change Job found nothing to do: no backup, no history, the last run unchanged.
    assertThat(jobs(ns, Step.CHANGE)).hasSize(2);
    assertThat(r.getStatus().getHistory()).hasSize(1);
    assertThat(r.getStatus().getLastRun().getJob())
        .isEqualTo(first.getStatus().getLastRun().getJob());
    try (Stream<Path> dumps = Files.list(backupFolder(ns))) {
      assertThat(dumps.filter(p -> p.getFileName().toString().endsWith(".dump"))).hasSize(1);
    }
  }
}
