package io.tidemark.operator.rollout;

import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.WatchedWorkload;
import io.tidemark.operator.model.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges the application rollout after an upgrade. When {@code spec.rollback.onFailedRollout} is
 * set, an upgrade opens a window in which the named workloads are watched (their informers trigger
 * the reconciles, see DatabaseSchemaReconciler): a Deployment whose rollout of a generation newer
 * than the upgrade exceeds its progress deadline, an Argo Rollout that turns Degraded, or a
 * Deployment or StatefulSet not available when the window ends, is a failed rollout, and the
 * schema goes back. A rollout that completes verifies the upgrade and ends the watch.
 */
public class RolloutGuard {
  public static final String WATCHING = "Watching";
  public static final String VERIFIED = "Verified";
  public static final String EXPIRED = "Expired";
  public static final String FAILED = "Failed";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String ROLLBACK_FAILED = "RollbackFailed";
  public static final String SUPERSEDED = "Superseded";

  /** An upgrade finished: record the workloads as they are, and open the window. */
  public void changeCompleted(DatabaseSchema resource, DatabaseSchemaStatus status, String from, String to, Instant now,
      Workloads workloads) {
    OnFailedRollout onFailed = onFailedRollout(resource);
    RolloutWatchStatus previous = status.getRolloutWatch();
    if (previous != null && WATCHING.equals(previous.getState())) {
      // A later change (a downgrade by hand, say) ends the watch of the earlier one: a rollback now would
      // undo a change that is no longer there.
      previous.setState(SUPERSEDED);
      previous.setMessage("A later change of revision (" + from + " to " + to + ") ended this watch.");
    }
    if (onFailed == null || !isUpgrade(from, to)) {
      return;
    }
    Duration window = Durations.parseGo(onFailed.getWindow() == null ? "15m" : onFailed.getWindow())
        .orElse(Duration.ofMinutes(15));
    List<WatchedWorkload> watched = new ArrayList<>();
    for (WorkloadRef ref : onFailed.getWorkloads()) {
      long generation = workloads.find(resource.getMetadata().getNamespace(), ref).map(WorkloadState::generation).orElse(0L);
      watched.add(new WatchedWorkload(ref.getKind().name(), ref.getName(), generation));
    }
    RolloutWatchStatus watch = new RolloutWatchStatus();
    watch.setFrom(from);
    watch.setTo(to);
    watch.setChangedAt(now.toString());
    watch.setUntil(now.plus(window).toString());
    watch.setBackupFile(status.getLastBackup() == null ? null : status.getLastBackup().getFile());
    watch.setWorkloads(watched);
    watch.setState(WATCHING);
    watch.setMessage("Watching the rollout of " + describe(onFailed.getWorkloads()) + " until " + watch.getUntil() + ".");
    status.setRolloutWatch(watch);
  }

  /**
   * While the schema is at its target and a window is open: judges the workloads and moves the
   * watch to Verified, Expired or Failed. Returns the verdict; FAILED means a rollback must start.
   */
  public Verdict judge(DatabaseSchema resource, DatabaseSchemaStatus status, Instant now, Workloads workloads) {
    RolloutWatchStatus watch = status.getRolloutWatch();
    OnFailedRollout onFailed = onFailedRollout(resource);
    if (watch == null || !WATCHING.equals(watch.getState())) {
      return Verdict.watching();
    }
    if (!Objects.equals(status.getCurrentRevision(), watch.getTo())) {
      watch.setState(SUPERSEDED);
      watch.setMessage("The schema is no longer at revision " + watch.getTo() + "; the watch ended.");
      return new Verdict(Verdict.Kind.EXPIRED, watch.getMessage());
    }
    if (onFailed == null) {
      // Rollback on failed rollout was turned off during the window: stop watching.
      watch.setState(EXPIRED);
      watch.setMessage("spec.rollback.onFailedRollout was removed; the rollout is no longer watched.");
      return new Verdict(Verdict.Kind.EXPIRED, watch.getMessage());
    }
    boolean windowOver = !now.isBefore(Instant.parse(watch.getUntil()));
    String namespace = resource.getMetadata().getNamespace();
    boolean allComplete = true;
    List<String> unavailable = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (WorkloadRef ref : onFailed.getWorkloads()) {
      Optional<WorkloadState> state = workloads.find(namespace, ref);
      if (state.isEmpty()) {
        missing.add(ref.getKind() + " " + ref.getName());
        allComplete = false;
        continue;
      }
      WorkloadState s = state.get();
      boolean newer = s.generation() > baseline(watch, ref);
      if (newer && s.failure().isPresent()) {
        return fail(watch, s.failure().get() + " after the upgrade to revision " + watch.getTo() + ".");
      }
      allComplete &= newer && s.complete();
      if (!s.available()) {
        unavailable.add(ref.getKind() + " " + ref.getName());
      }
    }
    if (allComplete) {
      watch.setState(VERIFIED);
      watch.setMessage("The rollout of " + describe(onFailed.getWorkloads()) + " completed on revision "
          + watch.getTo() + ".");
      return new Verdict(Verdict.Kind.VERIFIED, watch.getMessage());
    }
    if (windowOver) {
      if (!unavailable.isEmpty()) {
        return fail(watch, String.join(", ", unavailable) + " not available at the end of the "
            + "rollback window (" + watch.getUntil() + ") after the upgrade to revision " + watch.getTo() + ".");
      }
      watch.setState(EXPIRED);
      watch.setMessage("The window ended at " + watch.getUntil() + " without a failed rollout"
          + (missing.isEmpty() ? "." : "; not found: " + String.join(", ", missing) + "."));
      return new Verdict(Verdict.Kind.EXPIRED, watch.getMessage());
    }
    return Verdict.watching();
  }

  /** When to look again: the end of an open window. Null when nothing is watched. */
  public Duration recheckAfter(DatabaseSchemaStatus status, Instant now) {
    RolloutWatchStatus watch = status.getRolloutWatch();
    if (watch == null || !WATCHING.equals(watch.getState())) {
      return null;
    }
    Instant until = Instant.parse(watch.getUntil());
    return now.isBefore(until) ? Duration.between(now, until) : Duration.ofSeconds(1);
  }

  public static OnFailedRollout onFailedRollout(DatabaseSchema resource) {
    RollbackSpec rollback = resource.getSpec().getRollback();
    return rollback == null ? null : rollback.getOnFailedRollout();
  }

  private static Verdict fail(RolloutWatchStatus watch, String message) {
    watch.setState(FAILED);
    watch.setMessage(message);
    return Verdict.failed(message);
  }

  private static long baseline(RolloutWatchStatus watch, WorkloadRef ref) {
    if (watch.getWorkloads() == null) {
      return 0;
    }
    return watch.getWorkloads().stream()
        .filter(w -> Objects.equals(w.getKind(), ref.getKind().name()) && Objects.equals(w.getName(), ref.getName()))
        .map(WatchedWorkload::getGeneration).filter(Objects::nonNull).findFirst().orElse(0L);
  }

  /** Revisions are Flyway versions: compare them part by part as numbers. */
  static boolean isUpgrade(String from, String to) {
    return RevisionOrder.compare(to, from) > 0;
  }

  private static String describe(List<WorkloadRef> refs) {
    return String.join(", ", refs.stream().map(r -> r.getKind() + " " + r.getName()).toList());
  }
}
