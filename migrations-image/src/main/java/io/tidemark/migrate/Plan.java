package io.tidemark.migrate;

import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/** What reaching a target takes: a direction and the revisions in the order they would run. */
public record Plan(
    Direction direction,
    MigrationVersion current,
    MigrationVersion target,
    MigrationVersion latest,
    List<PlannedRevision> revisions) {

  public enum Direction {
    up,
    down,
    none
  }

  public List<String> labels() {
    return revisions.stream().map(PlannedRevision::revision).toList();
  }

  /** Revisions of this plan that have no undo script. */
  public List<String> undoMissing() {
    return revisions.stream().filter(r -> !r.hasUndo()).map(PlannedRevision::revision).toList();
  }
}
