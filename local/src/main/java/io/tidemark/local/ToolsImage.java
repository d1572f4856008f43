package io.tidemark.local;

import java.nio.file.Path;

/**
 * An image whose container's {@code command} runs on the host as it is: {@code /bin/sh}, {@code
 * pg_dump}, {@code pg_restore}, found through the host's {@code PATH}. Used for the backup and
 * restore images ({@code postgres:*}).
 *
 * @param toolsFirst a folder searched before the host's {@code PATH} (an image whose {@code
 *     pg_dump} differs from the host's, e.g. one that fails as on a full volume), or null for the
 *     host's tools
 */
public record ToolsImage(Path toolsFirst) implements LocalImage {
  public static final ToolsImage HOST = new ToolsImage(null);

  /** An image whose programs are those in {@code folder} first, then the host's. */
  public static ToolsImage withToolsFrom(Path folder) {
    return new ToolsImage(folder.toAbsolutePath());
  }
}
