package io.tidemark.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.model.BackupSpec;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.WatchState;
import io.tidemark.operator.model.WorkloadRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guard returns the watch as it is next; the one it was given stays as it was. */
class RolloutGuardTest {
  private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
  private final RolloutGuard guard = new RolloutGuard();
  private final Map<String, WorkloadState> workloads = new HashMap<>();
  private final Workloads lookup =
      (namespace, ref) -> Optional.ofNullable(workloads.get(ref.getName()));
  private final DatabaseSchema resource = watching("web");

  private static DatabaseSchema watching(String deployment) {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setNamespace("shop");
    r.getMetadata().setName("todo");
    DatabaseSchemaSpec spec = new DatabaseSchemaSpec();
    spec.setBackup(new BackupSpec());
    RollbackSpec rollback = new RollbackSpec();
    OnFailedRollout onFailed = new OnFailedRollout();
    WorkloadRef ref = new WorkloadRef();
    ref.setKind(WorkloadRef.WorkloadKind.Deployment);
    ref.setName(deployment);
    onFailed.getWorkloads().add(ref);
    onFailed.setWindow("10m");
    rollback.setOnFailedRollout(onFailed);
    spec.setRollback(rollback);
    r.setSpec(spec);
    return r;
  }

  private RolloutWatchStatus opened() {
    workloads.put("web", new WorkloadState(3, Optional.empty(), true, true));
    return guard.afterChange(resource, null, "b.dump", "1", "2", NOW, lookup);
  }

  @Test
  void anUpgradeOpensAWindowWithTheWorkloadsAsTheyAre() {
    RolloutWatchStatus watch = opened();

    assertThat(watch.getState()).isEqualTo(WatchState.WATCHING);
    assertThat(watch.getUntil()).isEqualTo("2026-01-05T10:10:00Z");
    assertThat(watch.getBackupFile()).isEqualTo("b.dump");
    assertThat(watch.getWorkloads().get(0).getGeneration()).isEqualTo(3);
  }

  @Test
  void aDowngradeEndsTheWatchWithoutChangingTheOneGiven() {
    RolloutWatchStatus watch = opened();

    RolloutWatchStatus next = guard.afterChange(resource, watch, null, "2", "1", NOW, lookup);

    assertThat(next.getState()).isEqualTo(WatchState.SUPERSEDED);
    assertThat(watch.getState()).isEqualTo(WatchState.WATCHING);
  }

  @Test
  void judgingReturnsTheNextWatchAndLeavesTheGivenOneAlone() {
    RolloutWatchStatus watch = opened();
    workloads.put(
        "web",
        new WorkloadState(
            4, Optional.of("Deployment web exceeded its progress deadline"), false, false));

    Verdict verdict = guard.judge(resource, watch, "2", NOW.plusSeconds(60), lookup);

    assertThat(verdict.kind()).isEqualTo(Verdict.Kind.FAILED);
    assertThat(verdict.watch().getState()).isEqualTo(WatchState.FAILED);
    assertThat(watch.getState()).isEqualTo(WatchState.WATCHING);
    assertThat(watch.getMessage()).startsWith("Watching");
  }

  @Test
  void anOlderGenerationIsNotJudgedAndTheWindowEndsQuietly() {
    RolloutWatchStatus watch = opened();

    assertThat(guard.judge(resource, watch, "2", NOW.plusSeconds(60), lookup).kind())
        .isEqualTo(Verdict.Kind.WATCHING);
    Verdict expired = guard.judge(resource, watch, "2", NOW.plusSeconds(600), lookup);
    assertThat(expired.kind()).isEqualTo(Verdict.Kind.EXPIRED);
    assertThat(expired.watch().getState()).isEqualTo(WatchState.EXPIRED);
  }

  @Test
  void aSchemaNoLongerAtTheWatchedRevisionEndsTheWatch() {
    Verdict verdict = guard.judge(resource, opened(), "1", NOW, lookup);

    assertThat(verdict.watch().getState()).isEqualTo(WatchState.SUPERSEDED);
  }

  @Test
  void theRollbacksOwnMovesAreNewValues() {
    RolloutWatchStatus watch = opened();

    RolloutWatchStatus failed = RolloutGuard.rollbackFailed(watch, "g1|r|a0|c");
    RolloutWatchStatus retried = RolloutGuard.retried(failed);

    assertThat(failed.getState()).isEqualTo(WatchState.ROLLBACK_FAILED);
    assertThat(failed.getHeldFor()).isEqualTo("g1|r|a0|c");
    assertThat(retried.getState()).isEqualTo(WatchState.FAILED);
    assertThat(retried.getAttempt()).isEqualTo(1);
    assertThat(watch.getState()).isEqualTo(WatchState.WATCHING);
  }
}
