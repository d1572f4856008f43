package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Revision names: Flyway versions as strings, with "0" (null here) for base, the state before any
 * migration.
 */
public final class Revisions {
  public static final String BASE = "0";
  public static final String LATEST = "latest";
  private static final Pattern VERSION = Pattern.compile("\\d{1,30}(?:[._]\\d{1,30}){0,20}");

  private Revisions() {}

  /** "0" for base (null), otherwise Flyway's normalised version string. */
  public static String label(MigrationVersion version) {
    return version == null ? BASE : version.getVersion();
  }

  /**
   * Resolves a target given on the command line: latest, 0 or a version that the image has (or the
   * version the database was baselined at). Returns null for base.
   */
  public static MigrationVersion resolveTarget(
      String raw, MigrationScripts image, MigrationVersion baseline) {
    if (raw == null || raw.equals(LATEST)) {
      return image.latest();
    }
    if (raw.equals(BASE)) {
      return null;
    }
    MigrationVersion version = parseVersion(raw, "target", image);
    // Spelled as the image (or the baseline) spells it: "00002" is revision 2 of V2__..., and
    // is reported as "2", so that the status never shows a target the chain does not name.
    Optional<ImageRevision> revision = image.find(version);
    if (revision.isPresent()) {
      return revision.get().version();
    }
    if (version.equals(baseline)) {
      return baseline;
    }
    throw new RunnerException(
        Reason.UnknownRevision,
        "unknown revision '" + raw + "': the migrations image has " + available(image));
  }

  /** A Flyway version as the runner reads one (not latest nor 0). */
  public static boolean isWellFormed(String raw) {
    return raw != null && VERSION.matcher(raw).matches();
  }

  /** Parses a well-formed version, or throws InvalidArgument naming what is available. */
  public static MigrationVersion parseVersion(String raw, String what, MigrationScripts image) {
    if (raw == null || !VERSION.matcher(raw).matches()) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "malformed "
              + what
              + " '"
              + raw
              + "': expected latest, 0 (base) or a Flyway version"
              + " such as 7 or 2025.01.31.2; the migrations image has "
              + available(image));
    }
    return MigrationVersion.fromVersion(raw.replace('_', '.'));
  }

  static String available(MigrationScripts image) {
    List<String> labels = image.labels();
    String list =
        labels.size() <= 40
            ? String.join(", ", labels)
            : String.join(", ", labels.subList(0, 20))
                + ", ... ("
                + (labels.size() - 40)
                + " more), "
                + String.join(", ", labels.subList(labels.size() - 20, labels.size()));
    return "0 (base), " + list + " (latest " + label(image.latest()) + ")";
  }

  public static int compare(MigrationVersion a, MigrationVersion b) {
    if (a == null || b == null) {
      return a == b ? 0 : (a == null ? -1 : 1);
    }
    return a.compareTo(b);
  }
}
