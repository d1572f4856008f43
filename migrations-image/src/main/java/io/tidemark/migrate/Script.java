package io.tidemark.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.api.MigrationVersion;

/**
 * One SQL file of the chain: a V (up) or U (undo) script, and whether its Flyway script config file
 * ({@code <name>.conf}) says executeInTransaction=false.
 */
public record Script(
    Path path, MigrationVersion version, String description, boolean transactional) {

  public String fileName() {
    return path.getFileName().toString();
  }

  public String sql() {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
