package io.tidemark.operator.rollout;

import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.Timestamps;
import io.tidemark.operator.model.WatchState;
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
 * Deployment or StatefulSet not available when the window ends, is a failed rollout, and the schema
 * goes back. A rollout that completes verifies the upgrade and ends the watch.
 */
public class RolloutGuard {

  /**
   * An upgrade (or any change) finished: the watch the status holds next. A change ends the watch
   * of an earlier one (a rollback now would undo a change that is no longer there); an upgrade with
   * {@code spec.rollback.onFailedRollout} opens a new window, with the workloads as they are.
   */
  public RolloutWatchStatus afterChange(
      DatabaseSchema resource,
      RolloutWatchStatus previous,
      String backupFile,
      String from,
      String to,
      Instant now,
      Workloads workloads) {
    RolloutWatchStatus current = previous;
    if (previous != null && previous.getState() == WatchState.WATCHING) {
      current =
          previous.moved(
              WatchState.SUPERSEDED,
              "A later change of revision (" + from + " to " + to + ") ended this watch.");
    }
    OnFailedRollout onFailed = onFailedRollout(resource);
    if (onFailed == null || !isUpgrade(from, to)) {
      return current;
    }
    Duration window =
        Durations.parseGo(onFailed.getWindow() == null ? "15m" : onFailed.getWindow())
            .orElse(Duration.ofMinutes(15));
    List<WatchedWorkload> watched = new ArrayList<>();
    for (WorkloadRef ref : onFailed.getWorkloads()) {
      long generation =
          workloads
              .find(resource.getMetadata().getNamespace(), ref)
              .map(WorkloadState::generation)
              .orElse(0L);
      watched.add(new WatchedWorkload(ref.getKind().name(), ref.getName(), generation));
    }
    RolloutWatchStatus watch = new RolloutWatchStatus();
    watch.setFrom(from);
    watch.setTo(to);
    watch.setChangedAt(now.toString());
    watch.setUntil(now.plus(window).toString());
    watch.setBackupFile(backupFile);
    watch.setWorkloads(watched);
    watch.setState(WatchState.WATCHING);
    watch.setMessage(
        "Watching the rollout of "
            + describe(onFailed.getWorkloads())
            + " until "
            + watch.getUntil()
            + ".");
    return watch;
  }

  /**
   * While the schema is at its target and a window is open: judges the workloads. The verdict
   * carries the watch as it is next (Verified, Expired, Superseded or Failed); FAILED means a
   * rollback must start.
   */
  public Verdict judge(
      DatabaseSchema resource,
      RolloutWatchStatus watch,
      String currentRevision,
      Instant now,
      Workloads workloads) {
    OnFailedRollout onFailed = onFailedRollout(resource);
    if (watch == null || watch.getState() != WatchState.WATCHING) {
      return Verdict.watching(watch);
    }
    if (!Objects.equals(currentRevision, watch.getTo())) {
      return Verdict.of(
          Verdict.Kind.EXPIRED,
          watch.moved(
              WatchState.SUPERSEDED,
              "The schema is no longer at revision " + watch.getTo() + "; the watch ended."));
    }
    if (onFailed == null) {
      // Rollback on failed rollout was turned off during the window: stop watching.
      return Verdict.of(
          Verdict.Kind.EXPIRED,
          watch.moved(
              WatchState.EXPIRED,
              "spec.rollback.onFailedRollout was removed; the rollout is no longer watched."));
    }
    // An unreadable end (a hand-edited status) ends the window rather than the reconcile.
    boolean windowOver = !now.isBefore(Timestamps.parseOr(watch.getUntil(), now));
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
        return failed(
            watch, s.failure().get() + " after the upgrade to revision " + watch.getTo() + ".");
      }
      allComplete &= newer && s.complete();
      if (!s.available()) {
        unavailable.add(ref.getKind() + " " + ref.getName());
      }
    }
    if (allComplete) {
      return Verdict.of(
          Verdict.Kind.VERIFIED,
          watch.moved(
              WatchState.VERIFIED,
              "The rollout of "
                  + describe(onFailed.getWorkloads())
                  + " completed on revision "
                  + watch.getTo()
                  + "."));
    }
    if (windowOver) {
      if (!unavailable.isEmpty()) {
        return failed(
            watch,
            String.join(", ", unavailable)
                + " not available at the end of the "
                + "rollback window ("
                + watch.getUntil()
                + ") after the upgrade to revision "
                + watch.getTo()
                + ".");
      }
      return Verdict.of(
          Verdict.Kind.EXPIRED,
          watch.moved(
              WatchState.EXPIRED,
              "The window ended at "
                  + watch.getUntil()
                  + " without a failed rollout"
                  + (missing.isEmpty()
                      ? "."
                      : "; not found: " + String.join(", ", missing) + ".")));
    }
    return Verdict.watching(watch);
  }

  // ---- the rollback's own moves, decided by the flow ----

  /**
   * The rollback failed; it holds for {@code heldFor} (a flow key), until a retry value or a new
   * spec.
   */
  public static RolloutWatchStatus rollbackFailed(RolloutWatchStatus watch, String heldFor) {
    return held(watch.moved(WatchState.ROLLBACK_FAILED, watch.getMessage()), heldFor);
  }

  /**
   * The rollback succeeded; it holds for {@code heldFor}: no migration until a retry value or a new
   * spec.
   */
  public static RolloutWatchStatus rolledBack(RolloutWatchStatus watch, String heldFor) {
    return held(watch.moved(WatchState.ROLLED_BACK, watch.getMessage()), heldFor);
  }

  /** The retry annotation after a failed rollback: try again, with new Job names. */
  public static RolloutWatchStatus retried(RolloutWatchStatus watch) {
    RolloutWatchStatus next = watch.moved(WatchState.FAILED, watch.getMessage());
    next.setAttempt((watch.getAttempt() == null ? 0 : watch.getAttempt()) + 1);
    return next;
  }

  /**
   * A new spec after a failed rollback is the person's decision about where the schema goes now.
   */
  public static RolloutWatchStatus supersededBySpec(RolloutWatchStatus watch) {
    return watch.moved(
        WatchState.SUPERSEDED,
        "The spec changed after the failed rollback; Tidemark follows the new spec.");
  }

  /** The rollback runs with {@code strategy}; {@code job} when its Job is about to be created. */
  public static RolloutWatchStatus rollingBackWith(
      RolloutWatchStatus watch, String strategy, String job) {
    RolloutWatchStatus next = new RolloutWatchStatus(watch);
    next.setStrategy(strategy);
    if (job != null) {
      next.setRollbackJob(job);
    }
    return next;
  }

  private static RolloutWatchStatus held(RolloutWatchStatus watch, String heldFor) {
    watch.setHeldFor(heldFor);
    return watch;
  }

  /** When to look again: the end of an open window. Null when nothing is watched. */
  public Duration recheckAfter(RolloutWatchStatus watch, Instant now) {
    if (watch == null || watch.getState() != WatchState.WATCHING) {
      return null;
    }
    Instant until = Timestamps.parseOr(watch.getUntil(), now);
    return now.isBefore(until) ? Duration.between(now, until) : Duration.ofSeconds(1);
  }

  public static OnFailedRollout onFailedRollout(DatabaseSchema resource) {
    RollbackSpec rollback = resource.getSpec().getRollback();
    return rollback == null ? null : rollback.getOnFailedRollout();
  }

  private static Verdict failed(RolloutWatchStatus watch, String message) {
    return Verdict.of(Verdict.Kind.FAILED, watch.moved(WatchState.FAILED, message));
  }

  private static long baseline(RolloutWatchStatus watch, WorkloadRef ref) {
    if (watch.getWorkloads() == null) {
      return 0;
    }
    return watch.getWorkloads().stream()
        .filter(
            w ->
                Objects.equals(w.getKind(), ref.getKind().name())
                    && Objects.equals(w.getName(), ref.getName()))
        .map(WatchedWorkload::getGeneration)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(0L);
  }

  /** Revisions are Flyway versions: compare them part by part as numbers. */
  static boolean isUpgrade(String from, String to) {
    return RevisionOrder.compare(to, from) > 0;
  }

  private static String describe(List<WorkloadRef> refs) {
    return String.join(", ", refs.stream().map(r -> r.getKind() + " " + r.getName()).toList());
  }
}
