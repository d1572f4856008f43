package io.tidemark.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks and unit-tests the alert rules with Prometheus' promtool, as a process. promtool comes
 * from Debian's `prometheus` package; .ci/run installs it. A missing promtool fails the test: the
 * alerts would otherwise ship untested.
 */
class PromtoolRulesTest {
  static final Path RULES = Path.of("tidemark", "files", "alerts.yaml");
  static final Path TESTS = Path.of("tests", "alerts-test.yaml");
  static final Path RUNBOOKS = Path.of("..", "docs", "runbooks");
  static final String RUNBOOK_BASE_URL =
      "https://github.com/tidemark/tidemark/blob/main/docs/runbooks";

  @Test
  void rulesAreValid() throws Exception {
    Result r = promtool("check", "rules", RULES.toString());
    assertThat(r.exit).as("promtool check rules:\n%s", r.output).isZero();
    assertThat(r.output).contains("SUCCESS: " + alertNames().size() + " rules found");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    Result r = promtool("test", "rules", TESTS.toString());
    assertThat(r.exit).as("promtool test rules:\n%s", r.output).isZero();
    assertThat(r.output).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() {
    JsonNode tests = Manifests.readYaml(TESTS);
    assertThat(tests.path("rule_files").get(0).asText()).isEqualTo("../tidemark/files/alerts.yaml");
    Set<String> firing = new HashSet<>();
    Set<String> silent = new HashSet<>();
    Set<String> holding = new HashSet<>();
    for (JsonNode test : tests.path("tests")) {
      Map<String, Set<String>> firingTimes = new HashMap<>();
      for (JsonNode t : test.path("alert_rule_test")) {
        String alert = t.path("alertname").asText();
        if (t.path("exp_alerts").size() > 0) {
          firing.add(alert);
          firingTimes
              .computeIfAbsent(alert, a -> new HashSet<>())
              .add(t.path("eval_time").asText());
        } else {
          silent.add(alert);
        }
      }
      firingTimes.forEach(
          (alert, times) -> {
            if (times.size() >= 2) {
              holding.add(alert);
            }
          });
    }
    List<String> alerts = alertNames();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
    // Tidemark's input series carry the label set of a scrape with honorLabels: the resource's
    // namespace (never the operator's) and the target's job, instance and pod.
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode series : test.path("input_series")) {
        String s = series.path("series").asText();
        if (s.startsWith("tidemark_")) {
          assertThat(s)
              .as(test.path("name").asText())
              .contains("job=\"tidemark-operator\"", "instance=", "pod=", "namespace=")
              .doesNotContain("namespace=\"tidemark-system\"", "exported_namespace");
        }
      }
    }
    assertThat(firing).as("alerts tested firing").containsAll(alerts);
    assertThat(silent).as("alerts tested not firing").containsAll(alerts);
    assertThat(holding)
        .as("alerts tested still firing at a later evaluation of the same series")
        .containsAll(alerts);
  }

  @Test
  void everyAlertHasSeverityMessagesNamingTheResourceAndARunbook() throws IOException {
    for (JsonNode rule : Manifests.readYaml(RULES).at("/groups/0/rules")) {
      String alert = rule.path("alert").asText();
      assertThat(rule.at("/labels/severity").asText())
          .as(alert)
          .isIn("critical", "warning", "info");
      assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
      String description = rule.at("/annotations/description").asText();
      if (!alert.equals("TidemarkOperatorDown")) {
        assertThat(description).as(alert).contains("{{ $labels.namespace }}/{{ $labels.name }}");
      }
      // The chart builds the same URL from prometheusRule.runbookBaseUrl (HelmChartTest).
      assertThat(rule.at("/annotations/runbook_url").asText())
          .as(alert)
          .isEqualTo(RUNBOOK_BASE_URL + "/" + alert + ".md");
      Path runbook = RUNBOOKS.resolve(alert + ".md");
      assertThat(runbook).as("the runbook of %s", alert).isRegularFile();
      String text = Files.readString(runbook);
      assertThat(text)
          .as(runbook.toString())
          .startsWith("# " + alert + "\n")
          .contains("## What it means", "## What to check", "## What to do", "kubectl");
    }
    try (Stream<Path> pages = Files.list(RUNBOOKS)) {
      assertThat(
              pages
                  .map(p -> p.getFileName().toString().replaceFirst("\\.md$", ""))
                  .filter(n -> !n.equals("README")))
          .as("a runbook page per alert, and none for an alert that does not exist")
          .containsExactlyInAnyOrderElementsOf(alertNames());
    }
  }

  @Test
  void everyAlertUsesMetricsTheOperatorDeclares() {
    Set<String> declared = new HashSet<>(TidemarkMetricNames.declared());
    declared.add("up"); // Prometheus' own, of the scrape job
    for (JsonNode rule : Manifests.readYaml(RULES).at("/groups/0/rules")) {
      String expr = rule.path("expr").asText();
      assertThat(declared)
          .as("%s: %s", rule.path("alert").asText(), expr)
          .containsAll(TidemarkMetricNames.usedIn(expr));
    }
  }

  @Test
  void theChartsDefaultRunbookBaseIsTheOneInTheFile() {
    assertThat(
            Manifests.readYaml(Path.of("tidemark", "values.yaml"))
                .at("/prometheusRule/runbookBaseUrl")
                .asText())
        .isEqualTo(RUNBOOK_BASE_URL);
  }

  // --------------------------------------------------------------------------- helpers

  record Result(int exit, String output) {}

  static List<String> alertNames() {
    List<String> names = new ArrayList<>();
    for (JsonNode group : Manifests.readYaml(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          names.add(rule.path("alert").asText());
        }
      }
    }
    return names;
  }

  static Result promtool(String... args) throws IOException, InterruptedException {
    String executable = findPromtool();
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("promtool " + String.join(" ", args) + " did not finish in 2 minutes");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.exitValue(), output);
  }

  /** $PROMTOOL, or promtool on the PATH; fails (does not skip) when there is none. */
  static String findPromtool() {
    String configured = System.getenv("PROMTOOL");
    if (configured != null && !configured.isBlank()) {
      assertThat(Path.of(configured)).as("PROMTOOL=%s", configured).isExecutable();
      return configured;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
        return Path.of(dir, "promtool").toString();
      }
    }
    return fail(
        "promtool is not installed, so the alert rules cannot be tested. Install it with "
            + "`apt-get update && apt-get install -y prometheus` (Debian's prometheus package; .ci/run does this), "
            + "or point the PROMTOOL environment variable at a promtool binary.");
  }
}
