package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the watch of the application rollout after a change is: {@code status.rolloutWatch.state}.
 * Stored as the strings earlier versions wrote; a field of this type reads an unknown string as
 * null (see {@code @JsonFormat} on the field), so an old or foreign value never stops a reconcile.
 */
public enum WatchState {
  @JsonProperty("Watching")
  WATCHING,
  @JsonProperty("Verified")
  VERIFIED,
  @JsonProperty("Expired")
  EXPIRED,
  @JsonProperty("Failed")
  FAILED,
  @JsonProperty("RolledBack")
  ROLLED_BACK,
  @JsonProperty("RollbackFailed")
  ROLLBACK_FAILED,
  @JsonProperty("Superseded")
  SUPERSEDED
}
