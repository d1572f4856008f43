package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scripts from a ConfigMap, as the kubelet mounts one: every key a link into a hidden timestamped
 * folder that {@code ..data} points at. The runner reads each script once (not once per link and
 * once in the folder), Flyway applies them, the digest is the same as for the same files in an
 * image, and a ConfigMap that is missing or has no scripts is named in the message.
 */
class ConfigMapFolderTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The atomic-writer layout of a ConfigMap volume with the test chain's files as keys. */
  Path mountedConfigMap() throws Exception {
    Path volume = Files.createDirectories(tmp.resolve("configmap-volume"));
    Path data = Files.createDirectories(volume.resolve("..2026_11_29_17_30_00.123456789"));
    try (Stream<Path> files = Files.list(CHAIN)) {
      for (Path file : files.toList()) {
        Files.copy(file, data.resolve(file.getFileName()));
        Files.createSymbolicLink(
            volume.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
      }
    }
    Files.createSymbolicLink(volume.resolve("..data"), data.getFileName());
    return volume;
  }

  @Test
  void eachScriptIsReadOnceAndTheChainMigrates() throws Exception {
    Path volume = mountedConfigMap();
    Run plan = run("plan", "--location", volume.toString());
    assertThat(plan.exit()).as(plan.all()).isZero();
    Run fromFolder = run("plan");
    assertThat(JSON.readTree(plan.report()).get("digest").asText())
        .as("the same scripts give the same digest, from an image or a ConfigMap")
        .isEqualTo(JSON.readTree(fromFolder.report()).get("digest").asText());

    Run migrate = run("migrate", "--location", volume.toString());
    assertThat(migrate.exit()).as(migrate.all()).isZero();
    assertThat(history()).containsExactly("1", "2", "3", "4", "5");

    Run undo = run("undo", "--target", "3", "--location", volume.toString());
    assertThat(undo.exit()).as(undo.all()).isZero();
    assertThat(history()).containsExactly("1", "2", "3");
  }

  @Test
  void aKeyThatLooksLikeAMigrationButIsMisnamedIsRefusedByName() throws Exception {
    Path volume = mountedConfigMap();
    Path data = volume.resolve("..data").toRealPath();
    Files.writeString(data.resolve("V6_add_priority.sql"), "ALTER TABLE tasks ADD priority int;\n");
    Files.writeString(data.resolve("v7__lower_case.sql"), "SELECT 1;\n");
    Files.writeString(data.resolve("README.md"), "not a migration, and not taken for one\n");
    Run plan = run("plan", "--location", volume.toString());
    assertThat(plan.exit()).isEqualTo(3);
    assertThat(JSON.readTree(plan.report()).get("reason").asText()).isEqualTo("InvalidArgument");
    assertThat(JSON.readTree(plan.report()).get("message").asText())
        .contains("look like migrations but are not named V<version>__<description>.sql")
        .contains("V6_add_priority.sql, v7__lower_case.sql")
        .doesNotContain("README.md");
    assertThat(history()).isEmpty();
  }

  @Test
  void aMissingConfigMapIsNamed() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty-volume"));
    Map<String, String> env = env();
    env.put("TIDEMARK_MIGRATIONS_SOURCE", "ConfigMap todo-sql-6t2fh5k5m8");
    Run plan = run(env, "plan", "--location", empty.toString());
    assertThat(plan.exit()).isEqualTo(3);
    assertThat(JSON.readTree(plan.report()).get("reason").asText()).isEqualTo("NoMigrations");
    assertThat(JSON.readTree(plan.report()).get("message").asText())
        .startsWith("no V<version>__<description>.sql scripts in ConfigMap todo-sql-6t2fh5k5m8")
        .contains("check that it exists in this namespace and its keys");
  }
}
