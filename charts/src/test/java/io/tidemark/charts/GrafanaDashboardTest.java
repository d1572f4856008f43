package io.tidemark.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard the chart ships (charts/tidemark/dashboards/tidemark.json): valid JSON,
 * every panel query valid PromQL (promtool check rules on a rule file with each query as a
 * recording rule), and every metric it names one the operator declares (TidemarkMetrics.java).
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("tidemark", "dashboards", "tidemark.json");
  static final ObjectMapper JSON = new ObjectMapper();

  /** Grafana's variables, replaced by what Grafana would put there. */
  static final Map<String, String> GRAFANA_VARIABLES =
      Map.of("$__rate_interval", "2m", "$__interval", "1m", "$__range", "7d");

  @Test
  void isValidJsonWithPanelsAndTheFilterVariables() throws Exception {
    JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
    assertThat(dashboard.path("title").asText()).isEqualTo("Tidemark");
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    List<String> variables = new ArrayList<>();
    dashboard.at("/templating/list").forEach(v -> variables.add(v.path("name").asText()));
    assertThat(variables).containsExactly("datasource", "namespace", "name");
    Map<String, String> queries = queries(dashboard);
    assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
    // Every panel's queries go to the chosen data source.
    forEachPanel(
        dashboard.path("panels"),
        p -> {
          if (!"row".equals(p.path("type").asText())) {
            assertThat(p.at("/datasource/uid").asText())
                .as(p.path("title").asText())
                .isEqualTo("${datasource}");
            assertThat(p.path("targets").size()).as(p.path("title").asText()).isPositive();
          }
        });
    // Unique panel ids, as Grafana needs.
    Set<Integer> ids = new TreeSet<>();
    forEachPanel(
        dashboard.path("panels"),
        p -> assertThat(ids.add(p.path("id").asInt())).as("id %s", p.path("id")).isTrue());
  }

  @Test
  void showsTheFleetTheResourcesAndTheDurations() throws Exception {
    String queries =
        String.join("\n", queries(JSON.readTree(Files.readString(DASHBOARD))).values());
    assertThat(queries)
        .contains(
            "tidemark_phase",
            "tidemark_schema_drifted",
            "tidemark_rollback_failed",
            "tidemark_rollbacks_total",
            "tidemark_current_revision",
            "tidemark_target_revision",
            "tidemark_pending_revisions",
            "tidemark_migrations_applied_total",
            "tidemark_migration_duration_seconds",
            "tidemark_backup_duration_seconds",
            "tidemark_backup_size_bytes",
            "tidemark_build_info");
  }

  @Test
  void everyQueryParsesAsPromQl(@TempDir Path dir) throws Exception {
    Map<String, String> queries = queries(JSON.readTree(Files.readString(DASHBOARD)));
    ObjectNode file = JSON.createObjectNode();
    ArrayNode rules =
        file.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
    int i = 0;
    for (String expr : queries.values()) {
      rules
          .addObject()
          .put("record", "tidemark_dashboard:query_" + i++)
          .put("expr", withGrafanaVariables(expr));
    }
    Path rulesFile = dir.resolve("dashboard-queries.yaml");
    Files.writeString(rulesFile, Manifests.YAML.writeValueAsString(file));
    PromtoolRulesTest.Result r = PromtoolRulesTest.promtool("check", "rules", rulesFile.toString());
    assertThat(r.exit())
        .as("promtool check rules on the dashboard's queries:\n%s\n%s", r.output(), queries)
        .isZero();
    assertThat(r.output()).contains("SUCCESS: " + queries.size() + " rules found");
  }

  @Test
  void everyMetricItNamesIsOneTheOperatorDeclares() throws Exception {
    Set<String> declared = TidemarkMetricNames.declared();
    JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
    Map<String, String> queries = queries(dashboard);
    // The variables' label_values() queries name metrics too.
    dashboard
        .at("/templating/list")
        .forEach(
            v -> {
              String q = v.at("/query/query").asText(v.path("query").asText());
              if (q.startsWith("label_values(")) {
                queries.put(
                    "variable " + v.path("name").asText(),
                    q.substring("label_values(".length(), q.lastIndexOf(',')));
              }
            });
    for (Map.Entry<String, String> q : queries.entrySet()) {
      Set<String> used = TidemarkMetricNames.usedIn(withGrafanaVariables(q.getValue()));
      assertThat(used).as("metrics of %s: %s", q.getKey(), q.getValue()).isNotEmpty();
      assertThat(declared)
          .as(
              "%s names a metric TidemarkMetrics.java does not declare: %s",
              q.getKey(), q.getValue())
          .containsAll(used);
    }
  }

  @Test
  void theMetricNameParserSeesWhatItShould() {
    assertThat(TidemarkMetricNames.declared())
        .contains(
            "tidemark_phase",
            "tidemark_migrations_applied_total",
            "tidemark_migration_duration_seconds_bucket",
            "tidemark_backup_size_bytes",
            "tidemark_pending_revisions",
            "tidemark_rollbacks_total",
            "tidemark_last_successful_reconcile_timestamp_seconds",
            "tidemark_schema_drifted",
            "tidemark_rollback_failed",
            "tidemark_build_info")
        .doesNotContain(
            "tidemark_backup_size",
            "tidemark_rollbacks",
            "tidemark_build",
            "tidemark_migrations_failed_total");
    assertThat(
            TidemarkMetricNames.usedIn(
                "histogram_quantile(0.95, sum by (le, action) (rate(tidemark_migration_duration_seconds_bucket{outcome=\"failed\"}[5m])))"
                    + " / on (namespace) group_left (name) tidemark_phase offset 1h or vector(0) and time() - foo_bar"))
        .containsExactlyInAnyOrder(
            "tidemark_migration_duration_seconds_bucket", "tidemark_phase", "foo_bar");
  }

  // --------------------------------------------------------------------------- helpers

  /** Panel title and refId to expr, of every panel (rows' nested panels included). */
  static Map<String, String> queries(JsonNode dashboard) {
    Map<String, String> queries = new LinkedHashMap<>();
    forEachPanel(
        dashboard.path("panels"),
        p ->
            p.path("targets")
                .forEach(
                    t -> {
                      String expr = t.path("expr").asText();
                      assertThat(expr)
                          .as(
                              "%s %s has a query",
                              p.path("title").asText(), t.path("refId").asText())
                          .isNotBlank();
                      String key = p.path("title").asText() + " " + t.path("refId").asText();
                      assertThat(queries.put(key, expr))
                          .as("%s: refIds are unique in a panel", key)
                          .isNull();
                    }));
    return queries;
  }

  static void forEachPanel(JsonNode panels, java.util.function.Consumer<JsonNode> action) {
    for (JsonNode p : panels) {
      action.accept(p);
      forEachPanel(p.path("panels"), action);
    }
  }

  static String withGrafanaVariables(String expr) {
    String e = expr;
    for (Map.Entry<String, String> v : GRAFANA_VARIABLES.entrySet()) {
      e = e.replace(v.getKey(), v.getValue());
    }
    assertThat(e.replaceAll("\"[^\"]*\"", ""))
        .as("a Grafana variable outside a label value: %s", expr)
        .doesNotContain("$");
    return e;
  }
}
