package io.tidemark.migrate;

import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/** What Flyway's history table says, merged with the image's scripts, at one moment. */
public final class HistoryState {
  private final List<MigrationInfo> all;
  private final MigrationVersion current;
  private final MigrationVersion baseline;

  private HistoryState(
      List<MigrationInfo> all, MigrationVersion current, MigrationVersion baseline) {
    this.all = all;
    this.current = current;
    this.baseline = baseline;
  }

  public static HistoryState read(Flyway flyway) {
    var info = flyway.info();
    List<MigrationInfo> all = Arrays.asList(info.all());
    // The newest revision that was applied successfully: a non-transactional migration that
    // failed half-way leaves a failed row, but the database is not at that revision.
    MigrationVersion current =
        all.stream()
            .filter(i -> i.isVersioned() && i.getVersion() != null)
            .filter(i -> i.getState().isApplied() && !i.getState().isFailed())
            .map(MigrationInfo::getVersion)
            .max(MigrationVersion::compareTo)
            .orElse(null);
    MigrationVersion baseline =
        all.stream()
            .filter(MigrationInfo::isApplied)
            .filter(i -> i.getType() != null && i.getType().isBaseline())
            .map(MigrationInfo::getVersion)
            .findFirst()
            .orElse(null);
    return new HistoryState(all, current, baseline);
  }

  /**
   * This state as it will be once a schema without history is adopted at {@code version}: at that
   * revision, baselined there. For planning only; the history table is not touched.
   */
  public HistoryState adoptedAt(MigrationVersion version) {
    return new HistoryState(all, version, version);
  }

  /** Every migration Flyway knows, applied or resolved, in Flyway's order. */
  public List<MigrationInfo> all() {
    return all;
  }

  /** The current revision; null for base. */
  public MigrationVersion current() {
    return current;
  }

  /** The version the database was baselined at, or null. */
  public MigrationVersion baseline() {
    return baseline;
  }

  /** Revisions recorded as failed (a non-transactional migration that stopped part-way). */
  public List<MigrationInfo> failed() {
    return all.stream().filter(i -> i.getState().isFailed() && i.getState().isApplied()).toList();
  }

  /** Applied versioned migrations (not the baseline marker), oldest first, failed ones too. */
  public List<MigrationInfo> appliedMigrations() {
    return all.stream()
        .filter(MigrationInfo::isApplied)
        .filter(MigrationInfo::isVersioned)
        .filter(i -> i.getVersion() != null)
        .filter(i -> i.getType() == null || !i.getType().isBaseline())
        .toList();
  }

  /** Versions in the image that a migrate to latest would apply. */
  public List<MigrationInfo> pending() {
    return all.stream()
        .filter(i -> !i.isApplied() && i.isVersioned() && i.getVersion() != null)
        .filter(i -> Revisions.compare(i.getVersion(), current) > 0)
        .toList();
  }
}
