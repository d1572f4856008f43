package io.tidemark.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The GitHub workflows cannot run here (no Docker engine, no registry), so what they would build
 * and push is checked against what the rest of the repository names: the images are the ones the
 * chart and the examples use, built from Dockerfiles that exist; the chart pushed is this chart, at
 * the tag's version for both its version and appVersion (the image tag the chart defaults to); the
 * suite runs first, through .ci/run; every action is pinned.
 */
class ReleaseWorkflowTest {
  static final Path ROOT = Path.of("..");
  static final Path RELEASE = ROOT.resolve(".github/workflows/release.yaml");
  static final Path CI = ROOT.resolve(".github/workflows/ci.yaml");

  @Test
  void aReleaseRunsOnAVersionTagAfterTheWholeSuite() {
    JsonNode workflow = Manifests.readYaml(RELEASE);
    assertThat(texts(workflow.at("/on/push/tags"))).containsExactly("v[0-9]+.[0-9]+.[0-9]+*");
    assertThat(texts(workflow.at("/jobs/release/needs"))).containsExactly("test");
    assertThat(runs(workflow.at("/jobs/test/steps"))).contains(".ci/run");
    assertThat(runs(Manifests.readYaml(CI).at("/jobs/test/steps"))).contains(".ci/run");
    // The top-level token reads only; the release job asks for what it writes.
    assertThat(workflow.at("/permissions/contents").asText()).isEqualTo("read");
    assertThat(workflow.at("/jobs/release/permissions/packages").asText()).isEqualTo("write");
  }

  @Test
  void theImagesPushedAreTheOnesTheChartAndTheExamplesName() throws IOException {
    JsonNode workflow = Manifests.readYaml(RELEASE);
    String registry = workflow.at("/env/REGISTRY").asText();
    List<String> pushed = new ArrayList<>();
    for (JsonNode step : workflow.at("/jobs/release/steps")) {
      if (!step.path("uses").asText().startsWith("docker/build-push-action@")) {
        continue;
      }
      JsonNode with = step.path("with");
      Path context = ROOT.resolve(with.path("context").asText());
      assertThat(ROOT.resolve(with.path("file").asText()))
          .as("the Dockerfile of %s", with.path("context").asText())
          .isRegularFile()
          .startsWith(context);
      assertThat(with.path("push").asBoolean()).isTrue();
      String tag = with.path("tags").asText().replace("${{ env.REGISTRY }}", registry);
      assertThat(tag).endsWith(":${{ steps.version.outputs.version }}");
      pushed.add(tag.substring(0, tag.lastIndexOf(':')));
    }

    JsonNode values = Manifests.readYaml(HelmChartTest.CHART.resolve("values.yaml"));
    String operatorImage = values.at("/image/repository").asText();
    String baseImage = dockerfileArg(ROOT.resolve("examples/todo/Dockerfile"));
    assertThat(pushed)
        .containsExactlyInAnyOrder(
            operatorImage, baseImage.substring(0, baseImage.lastIndexOf(':')));
  }

  @Test
  void theChartPushedIsThisChartAtTheTagsVersion() {
    JsonNode workflow = Manifests.readYaml(RELEASE);
    String script =
        runs(workflow.at("/jobs/release/steps")).stream()
            .filter(r -> r.contains("helm package"))
            .findFirst()
            .orElseThrow();
    assertThat(script)
        .contains(
            "helm package charts/tidemark --version \"${version}\" --app-version \"${version}\"")
        .contains("helm push \"dist/tidemark-${version}.tgz\" \"oci://${REGISTRY}/charts\"");
    assertThat(ROOT.resolve("charts/tidemark/Chart.yaml")).isRegularFile();
    // The GitHub release carries the CRD for those who apply it themselves (crds.install=false).
    String release =
        runs(workflow.at("/jobs/release/steps")).stream()
            .filter(r -> r.contains("gh release create"))
            .findFirst()
            .orElseThrow();
    Matcher crd = Pattern.compile("crds/\\S+\\.yml").matcher(release);
    assertThat(crd.find()).isTrue();
    assertThat(ROOT.resolve(crd.group())).isRegularFile();
  }

  @Test
  void everyActionIsPinnedAndGoComesFromTheControlPlanesModule() {
    for (Path file : List.of(RELEASE, CI)) {
      JsonNode workflow = Manifests.readYaml(file);
      for (JsonNode job : workflow.path("jobs")) {
        for (JsonNode step : job.path("steps")) {
          String uses = step.path("uses").asText();
          if (uses.isEmpty()) {
            continue;
          }
          assertThat(uses)
              .as("%s: %s", file.getFileName(), uses)
              .matches("[\\w.-]+/[\\w.-]+@v\\d+|[\\w.-]+/[\\w.-]+@[0-9a-f]{40}");
          if (uses.startsWith("actions/setup-go@")) {
            assertThat(ROOT.resolve(step.at("/with/go-version-file").asText())).isRegularFile();
          }
        }
      }
    }
  }

  // --------------------------------------------------------------------------- helpers

  static List<String> runs(JsonNode steps) {
    List<String> runs = new ArrayList<>();
    steps.forEach(s -> runs.add(s.path("run").asText().strip()));
    return runs;
  }

  static List<String> texts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> texts.add(n.asText()));
    } else if (!node.isMissingNode()) {
      texts.add(node.asText());
    }
    return texts;
  }

  /** The default of the Dockerfile's first ARG that names an image (the base image). */
  static String dockerfileArg(Path dockerfile) throws IOException {
    Matcher m =
        Pattern.compile("(?m)^ARG \\w+_IMAGE=(\\S+)$").matcher(Files.readString(dockerfile));
    assertThat(m.find()).as("an ARG ..._IMAGE= in %s", dockerfile).isTrue();
    return m.group(1);
  }
}
