package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A revision that ran outside a transaction and failed part-way: what it left behind (a failed row
 * in the history table, INVALID indexes from {@code CREATE INDEX CONCURRENTLY}), and whether this
 * run clears it ({@code --clear-failed REVISION}: its undo script runs, its failed row is removed,
 * then the migration goes on).
 *
 * <p>Clearing is asked for by naming the revision, and applies only where there is something to
 * clear: the revision recorded as failed, or, when a server restart kept Flyway from recording the
 * failure, the next revision to run while INVALID indexes are left in the schema. Named anywhere
 * else it does nothing, so a request left in place after it served is harmless.
 */
final class PartialRevision {
  private static final String INVALID_INDEXES =
      "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_index i"
          + " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE NOT i.indisvalid AND n.nspname = ? ORDER BY 1";

  private PartialRevision() {}

  /**
   * INVALID indexes in the managed schema, by name; empty when there are none or they cannot be
   * read.
   */
  static List<String> invalidIndexes(PostgresConnector connector, List<String> schemas) {
    List<String> names = new ArrayList<>();
    for (String schema : schemas) {
      names.addAll(invalidIndexes(connector, schema));
    }
    return names;
  }

  static List<String> invalidIndexes(PostgresConnector connector, String schema) {
    try (Connection connection = connector.open();
        PreparedStatement query = connection.prepareStatement(INVALID_INDEXES)) {
      query.setString(1, schema);
      List<String> names = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return names;
    } catch (SQLException | RunnerException e) {
      return List.of();
    }
  }

  /**
   * The revision this run clears before it migrates, if any; throws RevisionFailedPartway when a
   * revision is recorded as failed and this run was not asked to clear it.
   */
  static Optional<ImageRevision> toClear(
      HistoryState history,
      MigrationScripts image,
      String clearFailed,
      List<String> invalidIndexes) {
    MigrationVersion asked =
        clearFailed == null ? null : MigrationVersion.fromVersion(clearFailed.replace('_', '.'));
    Optional<MigrationInfo> failed = history.failed().stream().findFirst();
    if (failed.isPresent()) {
      MigrationInfo row = failed.get();
      if (asked == null || !asked.equals(row.getVersion())) {
        throw failedEarlier(row, image, invalidIndexes, Revisions.label(history.current()));
      }
      return Optional.of(requireUndo(image, row.getVersion(), row.getScript()));
    }
    if (asked == null || invalidIndexes.isEmpty()) {
      return Optional.empty();
    }
    Optional<MigrationVersion> next =
        history.pending().stream().map(MigrationInfo::getVersion).findFirst();
    if (next.isEmpty() || !next.get().equals(asked)) {
      return Optional.empty();
    }
    return Optional.of(requireUndo(image, asked, "revision " + Revisions.label(asked)));
  }

  /** The step that runs the undo script of a revision being cleared. */
  static PlannedRevision undoStep(ImageRevision revision) {
    return new PlannedRevision(
        revision.label(),
        revision.up().description(),
        revision.undo(),
        revision.up().fileName(),
        revision.undo().fileName(),
        revision.undo().transactional());
  }

  /** "invalid index public.idx_a and the failed row of revision 3 in flyway_schema_history". */
  static String leftBehind(List<String> invalidIndexes, String failedRowOf) {
    List<String> parts = new ArrayList<>();
    if (!invalidIndexes.isEmpty()) {
      parts.add(
          (invalidIndexes.size() == 1 ? "invalid index " : "invalid indexes ")
              + String.join(", ", invalidIndexes));
    }
    if (failedRowOf != null) {
      parts.add("the failed row of revision " + failedRowOf + " in " + CliOptions.HISTORY_TABLE);
    }
    return parts.isEmpty()
        ? "nothing Tidemark can see (objects the script created before it failed may remain)"
        : String.join(" and ", parts);
  }

  /** How a person clears it, in the runner's terms; the operator adds its own. */
  static String wayOut(String revision, ImageRevision inImage) {
    String undo =
        inImage != null && inImage.hasUndo()
            ? inImage.undo().fileName()
            : "U" + revision + "__*.sql";
    return "migrate --clear-failed "
        + revision
        + " runs "
        + undo
        + " (make it remove what the revision may have"
        + " left, e.g. DROP INDEX CONCURRENTLY IF EXISTS), removes the failed row, then migrates";
  }

  private static RunnerException failedEarlier(
      MigrationInfo row, MigrationScripts image, List<String> invalidIndexes, String current) {
    String revision = Revisions.label(row.getVersion());
    ImageRevision inImage = image.find(row.getVersion()).orElse(null);
    return new RunnerException(
        Reason.RevisionFailedPartway,
        row.getScript()
            + " failed part-way earlier outside a transaction and is recorded as failed; left behind: "
            + leftBehind(invalidIndexes, revision)
            + "; "
            + wayOut(revision, inImage)
            + "; "
            + Messages.atRevision(current),
        revision,
        current,
        null);
  }

  private static ImageRevision requireUndo(
      MigrationScripts image, MigrationVersion version, String script) {
    ImageRevision revision =
        image
            .find(version)
            .orElseThrow(
                () ->
                    new RunnerException(
                        Reason.ValidationFailed,
                        script
                            + ": revision "
                            + Revisions.label(version)
                            + " is recorded as failed but is missing from the"
                            + " migrations image ("
                            + image.location()
                            + "); it cannot be cleared without its scripts"));
    if (!revision.hasUndo()) {
      throw new RunnerException(
          Reason.UndoScriptMissing,
          "revision "
              + revision.label()
              + " cannot be cleared: no undo script U"
              + revision.label()
              + "__*.sql in "
              + image.location()
              + " to remove what "
              + revision.up().fileName()
              + " may have left (e.g. DROP INDEX CONCURRENTLY IF EXISTS ...); nothing was changed");
    }
    return revision;
  }
}
