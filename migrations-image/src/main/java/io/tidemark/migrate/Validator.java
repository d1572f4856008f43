package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Compares the history table with the image: edited scripts (checksum), renamed ones, applied
 * revisions the image no longer has, failed or skipped ones. Each problem names the file, so that
 * the operator's Drifted condition tells the team what to look at.
 */
public final class Validator {
  private Validator() {}

  public static List<String> problems(HistoryState history, MigrationScripts image, Flyway flyway) {
    return problems(history, image, flyway, false);
  }

  /**
   * As {@link #problems(HistoryState, MigrationScripts, Flyway)}; with {@code tolerateFailed} a
   * failed revision is not a problem, because undo is how it is cleared. With {@code flyway} null
   * only the runner's own checks run, on the history already read (no rescan of the chain): for a
   * caller that leaves the backstop to Flyway's validate-on-migrate.
   */
  public static List<String> problems(
      HistoryState history, MigrationScripts image, Flyway flyway, boolean tolerateFailed) {
    List<String> problems = new ArrayList<>();
    for (Script orphan : image.orphanUndos()) {
      problems.add(
          orphan.fileName()
              + ": undo script for revision "
              + Revisions.label(orphan.version())
              + ", which has no V script in "
              + image.location()
              + "; rename it to match its V script or remove it");
    }
    for (ImageRevision revision : image.revisions()) {
      TransactionControl.problem(revision.up()).ifPresent(problems::add);
      TransactionControl.problem(revision.undo()).ifPresent(problems::add);
    }
    for (MigrationInfo info : history.all()) {
      if (!info.isVersioned() || info.getVersion() == null) {
        continue;
      }
      String revision = Revisions.label(info.getVersion());
      MigrationState state = info.getState();
      String script = info.getScript();
      switch (state) {
        case MISSING_SUCCESS, MISSING_FAILED, FUTURE_SUCCESS, FUTURE_FAILED ->
            problems.add(
                script
                    + ": revision "
                    + revision
                    + " is applied to the database but"
                    + " missing from the migrations image ("
                    + image.location()
                    + ")");
        case FAILED -> {
          if (!tolerateFailed) {
            problems.add(
                script
                    + ": revision "
                    + revision
                    + " failed part-way earlier and is"
                    + " recorded as failed; run undo --target "
                    + Revisions.label(history.current())
                    + " to run its undo script and clear it, or repair the schema by hand and delete"
                    + " its row from "
                    + CliOptions.HISTORY_TABLE);
          }
        }
        case IGNORED ->
            problems.add(
                script
                    + ": revision "
                    + revision
                    + " is older than the current"
                    + " revision but was never applied (out-of-order migrations are not allowed)");
        default -> {
          if (state.isApplied() && state.isResolved() && !isBaseline(info)) {
            if (!info.isChecksumMatching()) {
              problems.add(
                  script
                      + ": checksum "
                      + info.getResolvedChecksum()
                      + " differs from "
                      + info.getAppliedChecksum()
                      + " recorded when revision "
                      + revision
                      + " was applied; the script was edited after it was applied");
            } else if (!info.isDescriptionMatching()) {
              problems.add(
                  script
                      + ": description '"
                      + info.getResolvedDescription()
                      + "' differs from '"
                      + info.getAppliedDescription()
                      + "' recorded when revision "
                      + revision
                      + " was applied; the script was renamed after it was applied");
            }
          }
        }
      }
    }
    if (flyway != null && problems.isEmpty() && !(tolerateFailed && !history.failed().isEmpty())) {
      // Flyway's own validation as a backstop for anything the checks above do not cover.
      ValidateResult result = flyway.validateWithResult();
      if (!result.validationSuccessful) {
        for (ValidateOutput output : result.invalidMigrations) {
          String file =
              output.filepath == null || output.filepath.isEmpty()
                  ? "revision " + output.version
                  : output.filepath;
          problems.add(file + ": " + oneLine(output.errorDetails.errorMessage));
        }
        if (problems.isEmpty() && result.errorDetails != null) {
          problems.add(oneLine(result.errorDetails.errorMessage));
        }
      }
    }
    return problems;
  }

  /** Throws ValidationFailed listing every problem, if there is any. */
  public static void requireValid(HistoryState history, MigrationScripts image, Flyway flyway) {
    requireValid(history, image, flyway, false);
  }

  public static void requireValid(
      HistoryState history, MigrationScripts image, Flyway flyway, boolean tolerateFailed) {
    List<String> problems = problems(history, image, flyway, tolerateFailed);
    if (!problems.isEmpty()) {
      throw new RunnerException(
          Reason.ValidationFailed,
          "validation failed: " + String.join("; ", problems),
          null,
          Revisions.label(history.current()),
          null);
    }
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static boolean isBaseline(MigrationInfo info) {
    return info.getType() != null && info.getType().isBaseline();
  }
}
