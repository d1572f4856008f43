package io.tidemark.operator.rollout;

import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RolloutWatchStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Opens the watch window after a change of revision when {@code spec.rollback.onFailedRollout} is
 * set, and closes it when the window has passed. Judging the workloads' rollouts inside the
 * window (and rolling back) builds on this record.
 */
public class RolloutGuard {
  public static final String WATCHING = "Watching";
  public static final String EXPIRED = "Expired";

  /** A change of revision finished: start the window in which a failed rollout rolls it back. */
  public void changeCompleted(DatabaseSchema resource, DatabaseSchemaStatus status, String from, String to, Instant now) {
    RollbackSpec rollback = resource.getSpec().getRollback();
    OnFailedRollout onFailed = rollback == null ? null : rollback.getOnFailedRollout();
    if (onFailed == null || from.equals(to)) {
      return;
    }
    Duration window = Durations.parseGo(onFailed.getWindow() == null ? "15m" : onFailed.getWindow())
        .orElse(Duration.ofMinutes(15));
    RolloutWatchStatus watch = new RolloutWatchStatus();
    watch.setFrom(from);
    watch.setTo(to);
    watch.setChangedAt(now.toString());
    watch.setUntil(now.plus(window).toString());
    watch.setBackupFile(status.getLastBackup() == null ? null : status.getLastBackup().getFile());
    watch.setState(WATCHING);
    watch.setMessage("Watching the rollout of " + onFailed.getWorkloads().size() + " workload(s) until " + watch.getUntil());
    status.setRolloutWatch(watch);
  }

  /** While the schema is at its target: end the window when it has passed. */
  public void whileReady(DatabaseSchema resource, DatabaseSchemaStatus status, Instant now) {
    RolloutWatchStatus watch = status.getRolloutWatch();
    if (watch != null && WATCHING.equals(watch.getState()) && !now.isBefore(Instant.parse(watch.getUntil()))) {
      watch.setState(EXPIRED);
      watch.setMessage("The window ended at " + watch.getUntil() + " without a failed rollout.");
    }
  }

  /** When to look again for the window's end; null when nothing is watched. */
  public Duration recheckAfter(DatabaseSchemaStatus status, Instant now) {
    RolloutWatchStatus watch = status.getRolloutWatch();
    if (watch == null || !WATCHING.equals(watch.getState())) {
      return null;
    }
    Instant until = Instant.parse(watch.getUntil());
    return now.isBefore(until) ? Duration.between(now, until) : Duration.ofSeconds(1);
  }
}
