package io.tidemark.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.operator.model.BackupStatus;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** /metrics in Prometheus' format with Tidemark's series, and the probes Kubernetes calls. */
class HttpEndpointsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetricsAndProbes() throws Exception {
    PrometheusMeterRegistry registry = TidemarkMetrics.prometheusRegistry();
    TidemarkMetrics metrics = new TidemarkMetrics(registry);
    DatabaseSchema r = resource("todo");
    DatabaseSchemaStatus status = new DatabaseSchemaStatus();
    status.setPhase(Phase.Migrating);
    status.setCurrentRevision("7");
    status.setTargetRevision("2025.01.31.2");
    status.setPendingRevisions(List.of("8", "9"));
    BackupStatus backup = new BackupStatus();
    backup.setSizeBytes(12345L);
    status.setLastBackup(backup);
    metrics.changeFinished(r, "migrate", true, Duration.ofMinutes(3), 2);
    metrics.changeFinished(r, "undo", false, Duration.ofSeconds(4), 0);
    metrics.backupFinished(true, Duration.ofSeconds(20));
    metrics.rollback("Restore");
    metrics.observe(r, status);
    AtomicBoolean ready = new AtomicBoolean(false);

    try (HttpEndpoints endpoints = new HttpEndpoints(0, registry, () -> true, ready::get)) {
      String base = "http://127.0.0.1:" + endpoints.port();
      HttpResponse<String> scrape = get(base + "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      String body = scrape.body();
      String labels = "name=\"todo\",namespace=\"shop\"";
      assertThat(body)
          .contains("tidemark_pending_revisions{" + labels + "} 2")
          .contains("tidemark_current_revision{" + labels + "} 7")
          .contains("tidemark_target_revision{" + labels + "} 2025.01")
          .contains("tidemark_migrations_applied_total{" + labels + "} 2")
          .contains("tidemark_backup_size_bytes{" + labels + "} 12345")
          .contains("tidemark_phase{" + labels + ",phase=\"Migrating\"} 1")
          .doesNotContain("phase=\"Ready\"")
          .contains("tidemark_schema_drifted{" + labels + "} 0")
          .contains("tidemark_rollback_failed{" + labels + ",strategy=\"Undo\"} 0")
          .contains("tidemark_last_successful_reconcile_timestamp_seconds{" + labels + "}")
          .contains("tidemark_rollbacks_total{strategy=\"Restore\"} 1")
          .contains("tidemark_rollbacks_total{strategy=\"Undo\"} 0")
          .containsPattern(
              "(?m)^tidemark_build_info\\{java_version=\"[^\"]+\",version=\"\\d+\\.\\d+\\.\\d+[^\"]*\"} 1$")
          .contains("jvm_memory_used_bytes");
      // Durations up to hours, per step and outcome, not per resource.
      assertThat(body)
          .contains(
              "tidemark_migration_duration_seconds_bucket{action=\"migrate\",outcome=\"succeeded\",le=\"21600.0\"} 1")
          .contains(
              "tidemark_migration_duration_seconds_count{action=\"undo\",outcome=\"failed\"} 1")
          .contains("tidemark_backup_duration_seconds_count{outcome=\"succeeded\"} 1");

      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(base + "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);
    }
  }

  private static DatabaseSchema resource(String name) {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace("shop");
    return r;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
