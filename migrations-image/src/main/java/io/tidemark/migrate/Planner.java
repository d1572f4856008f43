package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/** Works out the plan from the current revision to a target, in either direction. */
public final class Planner {
  private Planner() {}

  public static Plan plan(MigrationScripts image, HistoryState history, MigrationVersion target) {
    MigrationVersion current = history.current();
    int cmp = Revisions.compare(target, current);
    List<PlannedRevision> steps = new ArrayList<>();
    Plan.Direction direction;
    if (cmp > 0) {
      direction = Plan.Direction.up;
      for (ImageRevision revision : image.revisions()) {
        if (Revisions.compare(revision.version(), current) > 0
            && Revisions.compare(revision.version(), target) <= 0) {
          steps.add(up(revision));
        }
      }
    } else if (cmp < 0 || !appliedAbove(history, target).isEmpty()) {
      // Below the current revision, or at it with a failed revision above it to clear.
      direction = Plan.Direction.down;
      MigrationVersion baseline = history.baseline();
      if (baseline != null && Revisions.compare(target, baseline) < 0) {
        throw new RunnerException(
            Reason.InvalidArgument,
            "the database was baselined at "
                + Revisions.label(baseline)
                + "; it cannot be undone"
                + " below its baseline (target "
                + Revisions.label(target)
                + ")");
      }
      for (MigrationInfo info : appliedAbove(history, target)) {
        steps.add(down(info, image.find(info.getVersion())));
      }
    } else {
      direction = Plan.Direction.none;
    }
    return new Plan(direction, current, target, image.latest(), List.copyOf(steps));
  }

  /** Applied revisions (failed ones included) above the target, newest first. */
  private static List<MigrationInfo> appliedAbove(HistoryState history, MigrationVersion target) {
    List<MigrationInfo> applied = new ArrayList<>();
    for (MigrationInfo info : history.appliedMigrations()) {
      if (Revisions.compare(info.getVersion(), target) > 0) {
        applied.add(info);
      }
    }
    applied.sort((a, b) -> b.getVersion().compareTo(a.getVersion()));
    return applied;
  }

  private static PlannedRevision up(ImageRevision revision) {
    return new PlannedRevision(
        revision.label(),
        revision.description(),
        revision.up(),
        revision.up().fileName(),
        revision.hasUndo() ? revision.undo().fileName() : null,
        revision.up().transactional());
  }

  private static PlannedRevision down(MigrationInfo applied, Optional<ImageRevision> inImage) {
    String label = Revisions.label(applied.getVersion());
    Script undo = inImage.map(ImageRevision::undo).orElse(null);
    return new PlannedRevision(
        label,
        applied.getDescription(),
        undo,
        applied.getScript(),
        undo == null ? null : undo.fileName(),
        undo == null || undo.transactional());
  }
}
