package io.tidemark.local;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Tidemark migrations image: its entrypoint is the runner ({@code io.tidemark.migrate.Main}), run
 * as a local JVM, and its SQL files, which the image holds at {@code mountedAt}, are the local
 * folder {@code migrationsDir}. Arguments that name {@code mountedAt} (e.g. {@code --location
 * /migrations}) are rewritten to the folder.
 *
 * <p>A Job that gives the container a {@code command} overrides the entrypoint, as in Docker; the
 * command then runs on the host like a {@link ToolsImage}'s.
 */
public record RunnerImage(Path migrationsDir, String mountedAt) implements LocalImage {
  /** Where Tidemark's base image keeps the SQL files. */
  public static final String DEFAULT_MOUNT = "/migrations";

  public RunnerImage {
    Objects.requireNonNull(migrationsDir, "migrationsDir");
    Objects.requireNonNull(mountedAt, "mountedAt");
    if (!mountedAt.startsWith("/")) {
      throw new IllegalArgumentException("mountedAt must be an absolute path: " + mountedAt);
    }
    migrationsDir = migrationsDir.toAbsolutePath().normalize();
  }

  /** The folder, seen by the container at {@value #DEFAULT_MOUNT}. */
  public RunnerImage(Path migrationsDir) {
    this(migrationsDir, DEFAULT_MOUNT);
  }
}
