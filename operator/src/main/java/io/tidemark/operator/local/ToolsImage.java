package io.tidemark.operator.local;

/**
 * An image whose container's {@code command} runs on the host as it is: {@code /bin/sh}, {@code
 * pg_dump}, {@code pg_restore}, found through the host's {@code PATH}. Used for the backup and
 * restore images ({@code postgres:*}).
 */
public record ToolsImage() implements LocalImage {
  public static final ToolsImage HOST = new ToolsImage();
}
