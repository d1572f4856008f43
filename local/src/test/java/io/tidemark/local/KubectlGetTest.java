package io.tidemark.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Local mode prints the table kubectl get dbs prints: the CRD's default columns, in its order. */
class KubectlGetTest {

  @Test
  void theColumnsOfTheCrdInItsOrderAgeLast() {
    DatabaseSchema r = new DatabaseSchema();
    r.getMetadata().setName("todo");
    r.getMetadata().setCreationTimestamp("2026-11-29T10:00:00Z");
    DatabaseSchemaStatus s = new DatabaseSchemaStatus();
    s.setPhase(Phase.Ready);
    s.setCurrentRevision("12");
    s.setTargetRevision("12");
    s.getConditions()
        .add(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("AtTargetRevision")
                .build());
    r.setStatus(s);

    assertThat(LocalMode.kubectlGet(r, Instant.parse("2026-11-29T10:03:00Z")))
        .containsExactly(
            "NAME   READY   PHASE   CURRENT   TARGET   REASON             AGE",
            "todo   True    Ready   12        12       AtTargetRevision   3m");
  }

  @Test
  void agesAsKubectlWritesThem() {
    assertThat(LocalMode.age(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(LocalMode.age(Duration.ofSeconds(200))).isEqualTo("3m20s");
    assertThat(LocalMode.age(Duration.ofMinutes(25))).isEqualTo("25m");
    assertThat(LocalMode.age(Duration.ofMinutes(310))).isEqualTo("5h10m");
    assertThat(LocalMode.age(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(LocalMode.age(Duration.ofDays(12))).isEqualTo("12d");
  }
}
