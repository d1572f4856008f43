package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Which way the plan found the schema must go: {@code status.lastPlan.direction}. Stored as the
 * strings earlier versions wrote; a field of this type reads an unknown string as null (see
 * {@code @JsonFormat} on the field), so an old or foreign value never stops a reconcile.
 */
public enum Direction {
  /** Revisions to apply. */
  @JsonProperty("up")
  UP,
  /** Revisions to undo. */
  @JsonProperty("down")
  DOWN,
  /** At the target: nothing to do. */
  @JsonProperty("none")
  NONE;

  /** The direction a runner report names ("up", "down" or "none"); null for anything else. */
  public static Direction fromReport(String direction) {
    for (Direction d : values()) {
      if (d.name().toLowerCase(Locale.ROOT).equals(direction)) {
        return d;
      }
    }
    return null;
  }
}
