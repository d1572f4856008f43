package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a change of revision was: {@code status.history[].action}. Stored as the strings earlier
 * versions wrote; a field of this type reads an unknown string as null (see {@code @JsonFormat} on
 * the field), so an old or foreign value never stops a reconcile.
 */
public enum HistoryAction {
  /** Revisions applied by a migrate Job. */
  @JsonProperty("Applied")
  APPLIED,
  /** Revisions undone by an undo Job (a downgrade or an Undo rollback). */
  @JsonProperty("Undone")
  UNDONE,
  /** An existing schema without history adopted at a revision (spec.baseline). */
  @JsonProperty("Baselined")
  BASELINED,
  /** The schema restored from a backup (a Restore rollback). */
  @JsonProperty("Restored")
  RESTORED
}
