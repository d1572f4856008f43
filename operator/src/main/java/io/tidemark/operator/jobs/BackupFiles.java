package io.tidemark.operator.jobs;

import io.tidemark.operator.model.DatabaseSchema;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Names of dump files: sortable by time within one resource, and never shared between two. */
public final class BackupFiles {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private BackupFiles() {}

  /** Every dump of the resource starts with this; the backup script prunes by it. */
  public static String prefix(DatabaseSchema resource) {
    return resource.getMetadata().getNamespace() + "_" + resource.getMetadata().getName() + "_";
  }

  /** {@code <namespace>_<name>_<UTC time>_r<revision>.dump}. */
  public static String fileName(DatabaseSchema resource, Instant at, String revision) {
    return prefix(resource) + STAMP.format(at) + "_r" + revision + ".dump";
  }
}
