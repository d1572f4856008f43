package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.util.List;

/**
 * What the change command checks between its plan and its first change, as the operator asks: a
 * downgrade only when allowed, an undo script for every revision a rollback would undo, and the
 * plan a person approved. Each refusal says what to do; nothing has run when one is thrown.
 */
final class ChangeChecks {
  private ChangeChecks() {}

  static void require(Plan plan, CliOptions.ChangeOptions checks, String digest, String location) {
    String from = Revisions.label(plan.current());
    String target = Revisions.label(plan.target());
    if (checks.expectDigest() != null && !checks.expectDigest().equals(digest)) {
      throw new RunnerException(
          Reason.PlanChanged,
          "the scripts are not those of the approved plan (digest "
              + digest
              + ", approved "
              + checks.expectDigest()
              + "); nothing was changed: approve the new plan");
    }
    if (checks.expectFrom() != null && !checks.expectFrom().equals(from)) {
      throw new RunnerException(
          Reason.PlanChanged,
          "the database is at revision "
              + from
              + ", not "
              + checks.expectFrom()
              + " where the approved plan started (something changed it since); nothing was"
              + " changed: approve the new plan");
    }
    List<String> missing = plan.undoMissing();
    if (plan.direction() == Plan.Direction.down) {
      if (!checks.allowDowngrade()) {
        throw new RunnerException(
            Reason.DowngradeNotAllowed,
            "the target revision "
                + target
                + " is below the current revision "
                + from
                + ": reaching it would run undo scripts; nothing was changed");
      }
      if (!missing.isEmpty()) {
        throw new RunnerException(
            Reason.UndoScriptMissing,
            "no undo script for revision(s) "
                + String.join(", ", missing)
                + " in "
                + location
                + "; nothing was changed");
      }
    }
    if (plan.direction() == Plan.Direction.up && checks.requireUndo() && !missing.isEmpty()) {
      throw new RunnerException(
          Reason.NoWayBack,
          "revision(s) "
              + String.join(", ", missing)
              + " have no undo script, so a rollback by undo would be impossible; nothing was"
              + " changed");
    }
  }
}
