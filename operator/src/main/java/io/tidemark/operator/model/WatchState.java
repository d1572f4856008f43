package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the watch of the application rollout after a change is: {@code status.rolloutWatch.state}.
 * Stored as the strings earlier versions wrote; a field of this type reads an unknown string as
 * null (see {@code @JsonFormat} on the field), so an old or foreign value never stops a reconcile.
 */
public enum WatchState {
  /** The window is open; the workloads are judged on every change of theirs. */
  @JsonProperty("Watching")
  WATCHING,
  /** Every watched workload rolled out on the new revision. */
  @JsonProperty("Verified")
  VERIFIED,
  /** The window ended without a failed rollout, or the watch was turned off. */
  @JsonProperty("Expired")
  EXPIRED,
  /** A watched rollout failed: the rollback is decided and starts on the next reconcile. */
  @JsonProperty("Failed")
  FAILED,
  /**
   * The schema was rolled back; no migration runs until the spec or the retry annotation changes.
   */
  @JsonProperty("RolledBack")
  ROLLED_BACK,
  /** The rollback failed; the retry annotation runs it again, a new spec supersedes it. */
  @JsonProperty("RollbackFailed")
  ROLLBACK_FAILED,
  /** A later change of revision or a new spec ended the watch. */
  @JsonProperty("Superseded")
  SUPERSEDED
}
