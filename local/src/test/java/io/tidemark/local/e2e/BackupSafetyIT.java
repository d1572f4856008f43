package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No change runs without a backup that is really there; files a person keeps in the claim are
 * theirs.
 */
class BackupSafetyIT extends E2eTestBase {

  @Test
  void aDumpAPersonPutInTheClaimNeverCostsTheBackupJustTaken() throws Exception {
    String ns = newNamespaceWithDatabase();
    Path claim = Files.createDirectories(backupFolder(ns));
    // Sorts after every timestamped name: the old pruning kept it and deleted the new dump.
    Path manual =
        Files.writeString(claim.resolve(ns + "_todo_manual-before-upgrade.dump"), "by hand");
    DatabaseSchema r = schema(ns, "todo", TODO_IMAGE, "3");
    r.getSpec().getBackup().setKeep(1);
    create(r);
    awaitReadyAt(ns, "todo", "3");

    edit(ns, "todo", x -> x.getSpec().setTargetRevision("latest"));
    DatabaseSchema latest = awaitReadyAt(ns, "todo", "12");

    String last = latest.getStatus().getLastBackup().getFile();
    assertThat(claim.resolve(last)).isRegularFile();
    assertThat(Files.size(claim.resolve(last)))
        .isEqualTo(latest.getStatus().getLastBackup().getSizeBytes());
    assertThat(manual).hasContent("by hand");
    // keep: 1 — the dump before 0 -> 3 was pruned, the one before 3 -> 12 is the one kept.
    assertThat(dumps(claim)).containsExactlyInAnyOrder(last, manual.getFileName().toString());
    assertThat(latest.getStatus().getLastBackup().getRevision()).isEqualTo("3");
  }

  @Test
  void aBackupThatCannotBeWrittenStopsTheChangeAndSaysWhy() throws Exception {
    String ns = newNamespaceWithDatabase();
    DatabaseSchema r = schema(ns, "todo", TODO_IMAGE, "3");
    r.getSpec().getBackup().setImage(FULL_VOLUME_BACKUP_IMAGE);
    create(r);

    DatabaseSchema failed = awaitPhase(ns, "todo", Phase.Failed);

    assertThat(failed.getStatus().getLastFailure().getReason()).isEqualTo("BackupFailed");
    assertThat(failed.getStatus().getLastFailure().getMessage())
        .contains("No space left on device", "no backup was kept and nothing was changed");
    assertThat(jobs(ns, Step.MIGRATE)).isEmpty();
    assertThat(tables(ns)).isEmpty(); // not even Flyway's history table: nothing ran
    assertThat(failed.getStatus().getLastBackup()).isNull();
    assertThat(dumps(backupFolder(ns))).isEmpty();
    assertThat(eventReasons(ns, "todo")).contains("BackupFailed");

    // Not retried on its own: the next reconcile starts nothing.
    awaitReconciledAfter(ns, "todo");
    assertThat(jobs(ns, Step.BACKUP)).hasSize(1);

    // Declarative way forward: the spec is fixed (the default backup image), the change runs.
    edit(ns, "todo", x -> x.getSpec().getBackup().setImage(null));
    DatabaseSchema fixed = awaitReadyAt(ns, "todo", "3");
    assertThat(backupFolder(ns).resolve(fixed.getStatus().getLastBackup().getFile()))
        .isRegularFile();
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
  }

  private static List<String> dumps(Path claim) throws Exception {
    if (!Files.isDirectory(claim)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(claim)) {
      return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".dump")).toList();
    }
  }
}
