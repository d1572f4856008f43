package io.tidemark.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, from wherever the tests run. */
final class Repo {
  private Repo() {}

  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("crds"))
          && Files.isDirectory(p.resolve("operator"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no repository root (with crds/ and operator/) above " + Path.of("").toAbsolutePath());
  }

  static Path crd() {
    return root().resolve("crds/databaseschemas.db.tidemark.io-v1.yml");
  }
}
