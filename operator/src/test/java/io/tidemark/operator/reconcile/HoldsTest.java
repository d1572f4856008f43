package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import org.junit.jupiter.api.Test;

class HoldsTest {
  private final FlowFixture f = new FlowFixture();

  @Test
  void anInvalidSpecRunsNothingAndSaysSoOnce() {
    f.resource.getSpec().setTargetRevision("seven");

    assertThat(f.reconcile()).isNull();

    assertThat(f.created).isEmpty();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Failed);
    var ready = Conditions.get(f.status(), Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage())
        .startsWith("Invalid spec, nothing runs: ")
        .contains("targetRevision");
    assertThat(f.events).containsExactly("InvalidSpec");
    f.reconcile();
    assertThat(f.events).containsExactly("InvalidSpec");
    assertThat(f.patched).isFalse();
  }

  @Test
  void aNameTooLongForALabelIsInvalid() {
    f.resource.getMetadata().setName("n".repeat(64));

    f.reconcile();

    assertThat(Conditions.get(f.status(), Conditions.READY).orElseThrow().getMessage())
        .contains("metadata.name");
  }

  @Test
  void anOlderResourceOnTheSameDatabaseBlocksThisOne() {
    DatabaseSchema older = FlowFixture.resource("first");
    older.getMetadata().setCreationTimestamp("2025-12-01T00:00:00Z");
    f.sameDatabase.add(older);
    f.sameDatabase.add(f.resource);

    assertThat(f.reconcile()).isEqualTo(f.settings.blockedRecheck());

    assertThat(f.created).isEmpty();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Blocked);
    assertThat(Conditions.get(f.status(), Conditions.READY).orElseThrow().getMessage())
        .contains("postgres.shop.svc:5432/todo")
        .contains("shop/first");
    assertThat(f.events).containsExactly("DatabaseClaimed");

    f.sameDatabase.remove(older);
    f.reconcile();
    assertThat(f.job(Step.PLAN)).isNotNull();
  }

  @Test
  void aSuspendedResourceStartsNothingButLetsARunningJobFinish() {
    f.reconcile();
    String plan = f.job(Step.PLAN);
    f.resource.getSpec().setSuspend(true);

    f.reconcile();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Planning);

    f.succeed(plan, plan("1", "2", "up", "2"));
    f.reconcile();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Suspended);
    assertThat(f.created).containsExactly(plan);

    f.resource.getSpec().setSuspend(false);
    f.reconcile();
    assertThat(f.status().getLastPlan().getJob()).isEqualTo(plan);
    assertThat(f.job(Step.BACKUP)).isNotNull();
  }

  @Test
  void aReconcileThatChangesNothingWritesNothing() {
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("1", "1", "none"));
    f.reconcile();
    assertThat(f.patched).isTrue();

    f.reconcile();

    assertThat(f.patched).isFalse();
  }

  @Test
  void aDowngradeWithoutAllowDowngradeRunsNothingBeyondThePlan() {
    f.migrateTo("0", "4");
    f.resource.getSpec().setTargetRevision("2");
    f.newGeneration();
    f.reconcile();
    String plan = f.job(Step.PLAN);
    f.succeed(plan, plan("4", "2", "down", "4", "3"));
    int jobs = f.created.size();

    assertThat(f.reconcile()).isNull();

    assertThat(f.created).as("no backup, no undo").hasSize(jobs);
    assertThat(f.status().getPhase()).isEqualTo(Phase.Blocked);
    assertThat(f.status().getCurrentRevision()).isEqualTo("4");
    var ready = Conditions.get(f.status(), Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("DowngradeNotAllowed");
    assertThat(ready.getMessage())
        .contains("target revision 2 is below the current revision 4")
        .contains("undo scripts of revisions 4, 3")
        .contains("spec.allowDowngrade");
    assertThat(f.events).containsOnlyOnce("DowngradeNotAllowed");
    f.reconcile();
    assertThat(f.events).containsOnlyOnce("DowngradeNotAllowed");

    // Allowing it is a new generation: a new plan, then the backup and the undo.
    f.resource.getSpec().setAllowDowngrade(true);
    f.newGeneration();
    f.reconcile();
    String second = f.job(Step.PLAN);
    assertThat(second).isNotEqualTo(plan);
    f.succeed(second, plan("4", "2", "down", "4", "3"));
    f.reconcile();
    assertThat(f.job(Step.BACKUP)).isNotNull();
  }
}
