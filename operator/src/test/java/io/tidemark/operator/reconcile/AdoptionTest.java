package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.changed;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.BaselineSpec;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.baseline: asked for until recorded, recorded from the migrate's report, once. */
class AdoptionTest {
  private final FlowFixture f = new FlowFixture();

  private void baselineAt(String revision) {
    BaselineSpec baseline = new BaselineSpec();
    baseline.setRevision(revision);
    f.resource.getSpec().setBaseline(baseline);
  }

  private List<String> args(String job) {
    return f.cluster.get(job).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  private static String adopting(String report, String revision) {
    return report.replace("\"ok\":true", "\"ok\":true,\"baseline\":\"" + revision + "\"");
  }

  @Test
  void anAdoptedSchemaIsRecordedOnceInStatusHistoryAndEvents() {
    baselineAt("2");
    f.reconcile();
    String plan = f.job(Step.PLAN);
    assertThat(args(plan)).containsSequence("--baseline-at", "2");
    f.succeed(plan, adopting(plan("2", "4", "up", "3", "4"), "2"));
    f.reconcile();
    assertThat(f.status().getLastPlan().getBaseline()).isEqualTo("2");
    assertThat(f.events).contains("Planned");

    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();
    String migrate = f.job(Step.MIGRATE);
    assertThat(args(migrate)).containsSequence("--baseline-at", "2");
    f.succeed(migrate, adopting(changed("migrate", "4", "3", "4"), "2"));
    f.reconcile();

    var status = f.status();
    assertThat(status.getBaseline().getRevision()).isEqualTo("2");
    assertThat(status.getBaseline().getJob()).isEqualTo(migrate);
    assertThat(status.getHistory())
        .extracting(e -> e.getAction())
        .containsExactly(HistoryAction.APPLIED, HistoryAction.BASELINED);
    assertThat(status.getHistory().get(1).getTo()).isEqualTo("2");
    assertThat(status.getHistory().get(0).getRevisions()).containsExactly("3", "4");
    assertThat(f.events).containsOnlyOnce("Baselined");

    // Recorded: the confirming plan, and every later one, no longer asks for it.
    assertThat(args(f.job(Step.PLAN))).doesNotContain("--baseline-at");
  }

  @Test
  void aSchemaToAdoptAtTheTargetItselfStillGetsItsBaselineWritten() {
    baselineAt("4");
    f.resource.getSpec().setTargetRevision("4");
    f.reconcile();
    f.succeed(f.job(Step.PLAN), adopting(plan("4", "4", "none"), "4"));
    f.reconcile();

    assertThat(f.status().getPhase())
        .as("not Ready before the baseline is written")
        .isNotEqualTo(Phase.Ready);
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();
    String migrate = f.job(Step.MIGRATE);
    assertThat(args(migrate))
        .containsSequence("--target", "4")
        .containsSequence("--baseline-at", "4");
    f.succeed(migrate, adopting(changed("migrate", "4"), "4"));
    f.reconcile();
    assertThat(f.status().getBaseline().getRevision()).isEqualTo("4");
  }

  @Test
  void aDatabaseWithAHistoryIsMigratedAsWithoutIt() {
    baselineAt("2");
    f.migrateTo("0", "3");
    assertThat(f.status().getBaseline()).isNull();
    assertThat(f.status().getHistory())
        .extracting(e -> e.getAction())
        .containsExactly(HistoryAction.APPLIED);
    assertThat(f.events).doesNotContain("Baselined");
  }

  @Test
  void baseOrLatestIsNoRevisionToAdoptAt() {
    for (String revision : List.of("0", "0.0", "latest", "")) {
      baselineAt(revision);
      assertThat(SpecValidator.problems(f.resource.getSpec()))
          .as(revision)
          .anySatisfy(p -> assertThat(p).startsWith("spec.baseline.revision"));
    }
    baselineAt("3");
    assertThat(SpecValidator.problems(f.resource.getSpec())).isEmpty();
  }
}
