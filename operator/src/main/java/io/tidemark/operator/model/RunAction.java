package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a run did: {@code status.lastRun.action}. Stored as the strings earlier versions wrote; a
 * field of this type reads an unknown string as null (see {@code @JsonFormat} on the field), so an
 * old or foreign value never stops a reconcile.
 */
public enum RunAction {
  /** V scripts applied up to the target. */
  @JsonProperty("Migrate")
  MIGRATE,
  /** U scripts run down to the target. */
  @JsonProperty("Undo")
  UNDO,
  /** The backup taken before a change restored (a rollback). */
  @JsonProperty("Restore")
  RESTORE,
  /**
   * A change Job that plans, backs up and migrates or undoes in one Pod, while it runs: which of
   * Migrate or Undo it is (if either) is known once it has planned, and the finished run says so.
   */
  @JsonProperty("Change")
  CHANGE
}
