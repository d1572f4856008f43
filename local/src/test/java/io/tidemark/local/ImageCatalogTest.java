package io.tidemark.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageCatalogTest {
  @Test
  void exactEntriesWinOverPatternsAndDockerHubPrefixesAreIgnored() {
    RunnerImage runner = new RunnerImage(Path.of("migrations"));
    ImageCatalog catalog =
        ImageCatalog.withPostgresTools()
            .add("registry.example.com/todo-migrations:*", new RunnerImage(Path.of("other")))
            .add("registry.example.com/todo-migrations:1.7.0", runner);

    assertThat(catalog.lookup("registry.example.com/todo-migrations:1.7.0")).contains(runner);
    assertThat(catalog.lookup("registry.example.com/todo-migrations:1.8.0"))
        .get()
        .isInstanceOf(RunnerImage.class)
        .isNotEqualTo(runner);
    assertThat(catalog.lookup("postgres:16-alpine")).contains(ToolsImage.HOST);
    assertThat(catalog.lookup("docker.io/library/postgres:15")).contains(ToolsImage.HOST);
    assertThat(catalog.lookup("ghcr.io/acme/postgres:15")).contains(ToolsImage.HOST);
    assertThat(catalog.lookup("postgresql:15")).isEmpty();
    assertThat(catalog.lookup("registry.example.com/other:1")).isEmpty();
    assertThat(catalog.lookup(null)).isEmpty();
  }

  @Test
  void aRemovedImageCannotBePulledAnyMore() {
    ImageCatalog catalog = ImageCatalog.empty().addTools("busybox:1");
    assertThat(catalog.lookup("busybox:1")).isPresent();
    catalog.remove("busybox:1");
    assertThat(catalog.lookup("busybox:1")).isEmpty();
  }

  @Test
  void aRunnerImageDefaultsToTheMigrationsFolderOfTheBaseImage() {
    RunnerImage image = new RunnerImage(Path.of("x"));
    assertThat(image.mountedAt()).isEqualTo("/migrations");
    assertThat(image.migrationsDir()).isAbsolute();
  }
}
