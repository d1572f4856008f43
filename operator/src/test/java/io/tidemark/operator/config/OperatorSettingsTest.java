package io.tidemark.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The environment the chart sets becomes the operator's settings; a typo stops the start with a
 * clear message.
 */
class OperatorSettingsTest {

  @Test
  void readsEveryVariableTheChartSets() {
    OperatorSettings s =
        OperatorSettings.fromEnvironment(
            Map.of(
                "TIDEMARK_WATCH_NAMESPACES", "shop, billing ,",
                "TIDEMARK_LEADER_ELECTION", "true",
                "TIDEMARK_LEADER_ELECTION_NAMESPACE", "tidemark-system",
                "TIDEMARK_LEADER_ELECTION_LEASE", "billing-tidemark-leader",
                "TIDEMARK_HTTP_PORT", "9090",
                "TIDEMARK_REPLAN_INTERVAL", "1h30m",
                "TIDEMARK_BACKUP_IMAGE", "registry.example.com/pg:{major}",
                "TIDEMARK_FINISHED_JOBS_KEPT", "5",
                "TIDEMARK_MAX_RETRY_BACKOFF", "2m",
                "TIDEMARK_ARGO_ROLLOUTS", "off"));
    assertThat(s.watchNamespaces()).containsExactlyInAnyOrder("shop", "billing");
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaderElectionNamespace()).isEqualTo("tidemark-system");
    assertThat(s.leaseName()).isEqualTo("billing-tidemark-leader");
    assertThat(s.httpPort()).isEqualTo(9090);
    assertThat(s.replanInterval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(s.jobs().backupImageFor("16.4 (Debian 16.4-1.pgdg120+1)"))
        .isEqualTo("registry.example.com/pg:16");
    assertThat(s.finishedJobsKept()).isEqualTo(5);
    assertThat(s.maxRetryBackoff()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.argoRollouts()).isEqualTo(OperatorSettings.ArgoRollouts.OFF);
  }

  @Test
  void defaultsAreThoseDocumented() {
    OperatorSettings s = OperatorSettings.fromEnvironment(Map.of());
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.replanInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.jobs().backupImageFor("15.19")).isEqualTo("postgres:15-alpine");
    assertThat(s.argoRollouts()).isEqualTo(OperatorSettings.ArgoRollouts.AUTO);
    assertThat(s.leaseName()).isEqualTo(OperatorSettings.DEFAULT_LEASE_NAME);
    assertThat(OperatorSettings.argoRollouts("true")).isEqualTo(OperatorSettings.ArgoRollouts.ON);
  }

  @Test
  void aMalformedValueSaysWhichVariable() {
    assertThatThrownBy(
            () ->
                OperatorSettings.fromEnvironment(Map.of("TIDEMARK_REPLAN_INTERVAL", "ten minutes")))
        .hasMessageContaining("TIDEMARK_REPLAN_INTERVAL");
    assertThatThrownBy(
            () -> OperatorSettings.fromEnvironment(Map.of("TIDEMARK_ARGO_ROLLOUTS", "sometimes")))
        .hasMessageContaining("TIDEMARK_ARGO_ROLLOUTS");
    assertThatThrownBy(
            () ->
                OperatorSettings.fromEnvironment(
                    Map.of("TIDEMARK_LEADER_ELECTION_LEASE", "Not_A_Name")))
        .hasMessageContaining("TIDEMARK_LEADER_ELECTION_LEASE");
  }
}
