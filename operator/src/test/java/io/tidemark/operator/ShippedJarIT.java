package io.tidemark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jar the operator's image ships (target/tidemark-operator.jar, built by the shade plugin in
 * {@code package}; this runs after it, in {@code verify}) holds the operator and what it needs in a
 * cluster, and nothing of local mode or the tests: no mock API server, no embedded PostgreSQL or
 * its binaries, no runner, no database driver. Those belong to local/ and migrations-image/.
 */
class ShippedJarIT {
  /**
   * Packages (also under META-INF/versions/N/ of a multi-release jar) that must not be in the jar.
   */
  private static final List<String> FORBIDDEN_PACKAGES =
      List.of(
          "io/fabric8/kubernetes/client/server/mock/", // kubernetes-server-mock
          "io/fabric8/mockwebserver/", // its HTTP server
          "okhttp3/mockwebserver/",
          "io/zonky/", // embedded PostgreSQL
          "io/tidemark/migrate/", // the runner
          "io/tidemark/local/", // local mode, the local Job executor and kubelet
          "io/tidemark/operator/local/",
          "org/flywaydb/", // the runner's Flyway
          "org/postgresql/", // the operator never connects to a database
          "io/fabric8/crdv2/", // the CRD generator: build time only
          "io/tidemark/operator/model/crd/"); // the build's CRD generation and post-processing

  /**
   * Parts of file names that must not be in the jar: embedded PostgreSQL's binaries
   * (postgres-linux-x86_64.txz, ...).
   */
  private static final List<String> FORBIDDEN_FILES =
      List.of("postgres-linux", "postgres-darwin", "postgres-windows");

  private static List<String> entries;
  private static String mainClass;

  @BeforeAll
  static void readJar() throws IOException {
    Path jar = Path.of(System.getProperty("tidemark.operator.jar", "target/tidemark-operator.jar"));
    assertThat(jar).as("the shaded jar, which `package` builds").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      entries = Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
      mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
    }
  }

  @Test
  void holdsNothingOfLocalModeTheTestsOrTheRunner() {
    List<String> found = new ArrayList<>();
    for (String pkg : FORBIDDEN_PACKAGES) {
      entries.stream()
          .filter(e -> e.replaceFirst("^META-INF/versions/\\d+/", "").startsWith(pkg))
          .limit(3)
          .forEach(found::add);
    }
    for (String part : FORBIDDEN_FILES) {
      entries.stream().filter(e -> e.contains(part)).limit(3).forEach(found::add);
    }
    assertThat(found)
        .as("entries of local mode, the tests or the runner in the operator's jar")
        .isEmpty();
  }

  @Test
  void holdsTheOperatorTheReportContractAndTheCrd() {
    assertThat(mainClass).isEqualTo("io.tidemark.operator.Main");
    List<String> expected =
        List.of(
            "io/tidemark/operator/Main.class",
            "io/tidemark/operator/TidemarkOperator.class",
            "io/tidemark/report/Report.class",
            "META-INF/fabric8/databaseschemas.db.tidemark.io-v1.yml",
            "logback.xml");
    assertThat(expected.stream().filter(e -> !entries.contains(e)).toList())
        .as("missing from the operator's jar")
        .isEmpty();
  }
}
