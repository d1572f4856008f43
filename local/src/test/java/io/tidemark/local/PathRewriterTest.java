package io.tidemark.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathRewriterTest {
  private final Path migrations = Path.of("/work/m");
  private final Path data = Path.of("/host/data");
  private final Path cache = Path.of("/host/cache");
  private final PathRewriter rewriter = rewriter();

  private PathRewriter rewriter() {
    Map<String, Path> mounts = new LinkedHashMap<>();
    mounts.put("/migrations/", migrations);
    mounts.put("/data", data);
    mounts.put("/data/cache", cache);
    mounts.put("/", Path.of("/should/be/ignored"));
    return new PathRewriter(mounts);
  }

  @Test
  void aValueEqualToOrUnderAMountIsRewritten() {
    assertThat(rewriter.rewrite("/migrations")).isEqualTo("/work/m");
    assertThat(rewriter.rewrite("/migrations/")).isEqualTo("/work/m/");
    assertThat(rewriter.rewrite("/migrations/V1__a.sql")).isEqualTo("/work/m/V1__a.sql");
  }

  @Test
  void theLongestMountWins() {
    assertThat(rewriter.rewrite("/data/cache/x")).isEqualTo("/host/cache/x");
    assertThat(rewriter.rewrite("/data/cachex")).isEqualTo("/host/data/cachex");
    assertThat(rewriter.rewrite("/data/x")).isEqualTo("/host/data/x");
  }

  @Test
  void pathsAfterEqualsSchemesAndInsideScriptsAreRewritten() {
    assertThat(rewriter.rewrite("--location=/migrations")).isEqualTo("--location=/work/m");
    assertThat(rewriter.rewrite("filesystem:/migrations")).isEqualTo("filesystem:/work/m");
    assertThat(rewriter.rewrite("echo ok > /data/out; cat '/data/cache/a' \"/migrations\""))
        .isEqualTo("echo ok > /host/data/out; cat '/host/cache/a' \"/work/m\"");
  }

  @Test
  void pathsThatOnlyLookAlikeAreLeftAlone() {
    assertThat(rewriter.rewrite("/migrationsX")).isEqualTo("/migrationsX");
    assertThat(rewriter.rewrite("/srv/migrations")).isEqualTo("/srv/migrations");
    assertThat(rewriter.rewrite("http://host/migrations")).isEqualTo("http://host/migrations");
    assertThat(rewriter.rewrite("${X}/data")).isEqualTo("${X}/data");
    assertThat(rewriter.rewrite("/etc/passwd")).isEqualTo("/etc/passwd");
    assertThat(rewriter.rewrite("plain")).isEqualTo("plain");
  }

  @Test
  void everyElementIsRewrittenOnce() {
    assertThat(
            rewriter.rewriteAll(
                List.of("migrate", "--location", "/migrations", "--report", "/data/r")))
        .containsExactly("migrate", "--location", "/work/m", "--report", "/host/data/r");
  }
}
