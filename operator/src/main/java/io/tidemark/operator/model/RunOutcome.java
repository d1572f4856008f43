package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a migrate, undo or restore run ended, or that it runs: {@code status.lastRun.outcome}. Stored
 * as the strings earlier versions wrote; a field of this type reads an unknown string as null (see
 * {@code @JsonFormat} on the field), so an old or foreign value never stops a reconcile.
 */
public enum RunOutcome {
  /** The Job was created; its result is not recorded yet. */
  @JsonProperty("Running")
  RUNNING,
  /** The runner reported success. */
  @JsonProperty("Succeeded")
  SUCCEEDED,
  /** The Job failed, could not start, was refused or disappeared. */
  @JsonProperty("Failed")
  FAILED
}
