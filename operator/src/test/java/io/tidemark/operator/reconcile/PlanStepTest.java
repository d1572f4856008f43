package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.failure;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlanStepTest {
  private final FlowFixture f = new FlowFixture();

  @Test
  void aNewResourceGetsAPlanJobNamedAfterItsFlow() {
    f.reconcile();

    assertThat(f.created).containsExactly(JobNames.of("todo", "uid-todo", Step.PLAN, "g1|r|a0|c"));
    assertThat(f.status().getPhase()).isEqualTo(Phase.Planning);
    assertThat(f.events).isEmpty();
  }

  @Test
  void aPlanThatFindsNothingToDoMakesTheSchemaReady() {
    f.reconcile();
    String job = f.job(Step.PLAN);
    f.succeed(job, plan("3", "3", "none"));

    Duration recheck = f.reconcile();

    var status = f.status();
    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getLastPlan().getJob()).isEqualTo(job);
    assertThat(status.getLastPlan().getDirection()).isEqualTo(Direction.NONE);
    assertThat(status.getLastPlan().getEpoch()).isEqualTo("g1|r|a0|c");
    assertThat(status.getCurrentRevision()).isEqualTo("3");
    assertThat(Conditions.get(status, Conditions.DRIFTED).orElseThrow().getReason())
        .isEqualTo("NoDrift");
    assertThat(f.events).containsExactly("Planned");
    assertThat(recheck).isEqualTo(f.settings.replanInterval());
  }

  @Test
  void aFailedValidationShowsAsDriftAndHoldsTheFlow() {
    f.reconcile();
    f.fail(f.job(Step.PLAN), failure("plan", 2, "ValidationFailed", "V2 was edited", "2"));

    assertThat(f.reconcile()).isNull();

    var status = f.status();
    assertThat(status.getPhase()).isEqualTo(Phase.Failed);
    assertThat(status.getLastFailure().getReason()).isEqualTo("ValidationFailed");
    assertThat(status.getLastFailure().getMessage())
        .startsWith("Plan failed: V2 was edited An applied migration");
    assertThat(Conditions.get(status, Conditions.DRIFTED).orElseThrow().getReason())
        .isEqualTo("ChecksumMismatch");
    int jobs = f.created.size();
    f.reconcile();
    assertThat(f.created).hasSize(jobs);
    assertThat(f.patched).isFalse();
  }

  @Test
  void aPlanJobWithoutAReportFailedAsAJob() {
    f.reconcile();
    f.fail(f.job(Step.PLAN), "java.lang.NoClassDefFoundError: x");

    f.reconcile();

    assertThat(f.status().getLastFailure().getReason()).isEqualTo("JobFailed");
  }

  @Test
  void aTransientFailureIsRetriedAfterTheBackoffWithANewFlow() {
    f.reconcile();
    String first = f.job(Step.PLAN);
    f.fail(first, failure("plan", 4, "ConnectionFailed", "connection refused", null));

    assertThat(f.reconcile()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.status().getTransientFailures()).isEqualTo(1);
    f.advance(Duration.ofSeconds(5));
    assertThat(f.reconcile()).isEqualTo(Duration.ofSeconds(5));
    assertThat(f.created).containsExactly(first);

    f.advance(Duration.ofSeconds(5));
    f.reconcile();

    assertThat(f.status().getAttempt()).isEqualTo(1);
    assertThat(f.created)
        .containsExactly(first, JobNames.of("todo", "uid-todo", Step.PLAN, "g1|r|a1|c"));
    assertThat(f.status().getPhase()).isEqualTo(Phase.Planning);
  }

  @Test
  void thePeriodicReplanOfAReadySchemaStaysQuiet() {
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("3", "3", "none"));
    f.reconcile();
    f.events.clear();

    f.advance(f.settings.replanInterval());
    f.reconcile();

    String replan = f.job(Step.PLAN);
    assertThat(replan).isNotEqualTo(f.status().getLastPlan().getJob());
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(f.events).isEmpty();
    f.succeed(replan, plan("3", "3", "none"));
    f.reconcile();
    assertThat(f.status().getPhase()).isEqualTo(Phase.Ready);
    assertThat(f.events).isEmpty();
  }

  @Test
  void aRevisionChangedOutsideTidemarkShowsAsDrift() {
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("3", "3", "none"));
    f.reconcile();
    f.advance(f.settings.replanInterval());
    f.reconcile();

    f.succeed(f.job(Step.PLAN), plan("2", "3", "up", "3"));
    f.reconcile();

    var drifted = Conditions.get(f.status(), Conditions.DRIFTED).orElseThrow();
    assertThat(drifted.getStatus()).isEqualTo("True");
    assertThat(drifted.getReason()).isEqualTo("SchemaChangedOutside");
    assertThat(f.events).contains("SchemaDrift");
  }
}
