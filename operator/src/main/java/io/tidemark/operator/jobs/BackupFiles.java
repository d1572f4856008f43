package io.tidemark.operator.jobs;

import io.tidemark.operator.model.DatabaseSchema;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Names of dump files: sortable by time within one resource, and never shared between two. A
 * namespace and a name cannot contain {@code _}, so one resource's prefix is never the start of
 * another's. The backup script prunes exactly the files {@link #isTidemarkDump} accepts.
 */
public final class BackupFiles {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** What the backup script's pruning matches, for the docs. */
  public static final String PATTERN_DESCRIPTION =
      "<namespace>_<name>_<yyyyMMdd>T<HHmmss>Z_r<revision>.dump";

  private static final Pattern AFTER_PREFIX =
      Pattern.compile("[0-9]{8}T[0-9]{6}Z_r[0-9A-Za-z.]+\\.dump");

  private BackupFiles() {}

  /** Every dump of the resource starts with this. */
  public static String prefix(DatabaseSchema resource) {
    return resource.getMetadata().getNamespace() + "_" + resource.getMetadata().getName() + "_";
  }

  /** {@code <namespace>_<name>_<UTC time>_r<revision>.dump}. */
  public static String fileName(DatabaseSchema resource, Instant at, String revision) {
    return prefix(resource) + STAMP.format(at) + "_r" + revision + ".dump";
  }

  /**
   * Whether {@code file} is a dump Tidemark wrote for the resource (and so one pruning may remove).
   */
  public static boolean isTidemarkDump(DatabaseSchema resource, String file) {
    String prefix = prefix(resource);
    return file.startsWith(prefix)
        && AFTER_PREFIX.matcher(file.substring(prefix.length())).matches();
  }
}
