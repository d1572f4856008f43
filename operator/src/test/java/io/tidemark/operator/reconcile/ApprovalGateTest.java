package io.tidemark.operator.reconcile;

import static io.tidemark.operator.reconcile.FlowFixture.backup;
import static io.tidemark.operator.reconcile.FlowFixture.changed;
import static io.tidemark.operator.reconcile.FlowFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.ApprovalPolicy;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import org.junit.jupiter.api.Test;

/** spec.approval Manual: a change runs only once the annotation holds its plan's digest. */
class ApprovalGateTest {
  private final FlowFixture f = new FlowFixture();

  private void approve(String digest) {
    f.annotate(DatabaseSchema.APPROVE_ANNOTATION, digest);
  }

  private String plannedAndWaiting(String report) {
    return f.planned(report);
  }

  @Test
  void aChangeWaitsWithItsPlanInStatusThenRunsWhenItsDigestIsApproved() {
    f.resource.getSpec().setApproval(ApprovalPolicy.Manual);
    plannedAndWaiting(plan("1", "3", "up", "2", "3"));

    assertThat(f.created).as("the plan only").hasSize(1);
    var status = f.status();
    assertThat(status.getPhase()).isEqualTo(Phase.AwaitingApproval);
    var approval = status.getApproval();
    assertThat(approval.getDigest()).hasSize(ApprovalGate.DIGEST_LENGTH);
    assertThat(approval.getFrom()).isEqualTo("1");
    assertThat(approval.getTo()).isEqualTo("3");
    assertThat(approval.getDirection()).isEqualTo("up");
    assertThat(approval.getRevisions()).containsExactly("2", "3");
    assertThat(approval.getImage()).isEqualTo(FlowFixture.IMAGE);
    assertThat(approval.getApprovedAt()).isNull();
    var ready = Conditions.get(status, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("AwaitingApproval");
    assertThat(ready.getMessage())
        .contains("apply revisions 2, 3 (from revision 1 to 3")
        .contains("db.tidemark.io/approve=" + approval.getDigest());
    assertThat(Conditions.get(status, Conditions.DEGRADED).orElseThrow().getStatus())
        .isEqualTo("False");
    assertThat(f.events).containsOnlyOnce("AwaitingApproval");
    f.reconcile();
    assertThat(f.events).containsOnlyOnce("AwaitingApproval");
    assertThat(f.created).hasSize(1);

    approve(approval.getDigest());
    f.reconcile();
    assertThat(f.job(Step.BACKUP)).isNotNull();
    assertThat(f.status().getApproval().getApprovedAt()).isNotNull();
    assertThat(f.events).containsOnlyOnce("Approved");
    f.succeed(f.job(Step.BACKUP), backup("b.dump"));
    f.reconcile();
    f.succeed(f.job(Step.MIGRATE), changed("migrate", "3", "2", "3"));
    f.reconcile();
    f.succeed(f.job(Step.PLAN), plan("3", "3", "none"));
    f.reconcile();
    assertThat(f.status().getPhase()).as("nothing to approve at the target").isEqualTo(Phase.Ready);
  }

  @Test
  void anApprovalOfAnotherPlanDoesNothingAndSaysSo() {
    f.resource.getSpec().setApproval(ApprovalPolicy.Manual);
    plannedAndWaiting(plan("1", "3", "up", "2", "3"));
    String first = f.status().getApproval().getDigest();

    // A new image: a new plan, with a new digest; the approval given for the first does not count.
    f.resource.getSpec().getMigrations().setImage("registry.example.com/todo-migrations:1.8.0");
    f.newGeneration();
    approve(first);
    plannedAndWaiting(plan("1", "4", "up", "2", "3", "4"));

    var status = f.status();
    String second = status.getApproval().getDigest();
    assertThat(second).isNotEqualTo(first);
    assertThat(status.getPhase()).isEqualTo(Phase.AwaitingApproval);
    var ready = Conditions.get(status, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ApprovalMismatch");
    assertThat(ready.getMessage())
        .contains("db.tidemark.io/approve=" + first + " is not for this plan (digest " + second);
    assertThat(f.created).noneMatch(j -> j.contains("-backup-") || j.contains("-migrate-"));
    assertThat(f.events).contains("ApprovalMismatch");
  }

  @Test
  void theDigestCoversWhatTheChangeDoes() {
    f.resource.getSpec().setApproval(ApprovalPolicy.Manual);
    plannedAndWaiting(plan("1", "3", "up", "2", "3"));
    var status = f.status();
    String digest = ApprovalGate.digest(status);
    assertThat(digest).isEqualTo(status.getApproval().getDigest());

    status.setPendingRevisions(java.util.List.of("2"));
    assertThat(ApprovalGate.digest(status)).isNotEqualTo(digest);
    status.setPendingRevisions(java.util.List.of("2", "3"));
    status.getLastPlan().setDigest("sha256:another");
    assertThat(ApprovalGate.digest(status)).isNotEqualTo(digest);
  }

  @Test
  void automaticApprovalNeverWaits() {
    plannedAndWaiting(plan("1", "3", "up", "2", "3"));
    assertThat(f.job(Step.BACKUP)).isNotNull();
    assertThat(f.status().getApproval()).isNull();
  }

  private static String rehearsed(String report, String rehearsal) {
    return report.replace("\"ok\":true", "\"ok\":true,\"rehearsal\":" + rehearsal);
  }

  private java.util.List<String> planArgs() {
    String plan = f.created.get(0);
    return f.cluster.get(plan).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  @Test
  void onDestructiveRunsAChangeTheRehearsalFoundHarmless() {
    f.resource.getSpec().setApproval(ApprovalPolicy.OnDestructive);
    plannedAndWaiting(rehearsed(plan("1", "3", "up", "2", "3"), "{\"outcome\":\"done\"}"));

    assertThat(planArgs()).contains("--rehearse");
    assertThat(f.status().getLastPlan().getRehearsal().foundNothingDestructive()).isTrue();
    assertThat(f.job(Step.BACKUP)).isNotNull();
    assertThat(f.status().getApproval()).isNull();
  }

  @Test
  void onDestructiveHoldsAChangeThatDropsSomethingAndShowsWhat() {
    f.resource.getSpec().setApproval(ApprovalPolicy.OnDestructive);
    plannedAndWaiting(
        rehearsed(
            plan("1", "3", "up", "2", "3"),
            "{\"outcome\":\"done\",\"destructive\":[{\"revision\":\"3\",\"kind\":\"ColumnDropped\","
                + "\"object\":\"public.orders.note\"}]}"));

    var status = f.status();
    assertThat(status.getPhase()).isEqualTo(Phase.AwaitingApproval);
    assertThat(status.getApproval().getDestructive())
        .extracting(Object::toString)
        .containsExactly("3: ColumnDropped public.orders.note");
    assertThat(Conditions.get(status, Conditions.READY).orElseThrow().getMessage())
        .contains("spec.approval is OnDestructive")
        .contains(
            "Destructive, from the rehearsal on a schema-only copy: 3: ColumnDropped public.orders.note.");
    assertThat(f.created).hasSize(1);
  }

  @Test
  void onDestructiveHoldsAChangeWhoseRehearsalCouldNotRun() {
    f.resource.getSpec().setApproval(ApprovalPolicy.OnDestructive);
    plannedAndWaiting(
        rehearsed(
            plan("1", "3", "up", "2", "3"),
            "{\"outcome\":\"skipped\",\"reason\":\"the database user may not create databases\"}"));

    assertThat(f.status().getPhase()).isEqualTo(Phase.AwaitingApproval);
    assertThat(f.status().getApproval().getDestructive()).isNull();
    assertThat(Conditions.get(f.status(), Conditions.READY).orElseThrow().getMessage())
        .contains("Rehearsal skipped: the database user may not create databases.");
  }

  @Test
  void automaticDoesNotRehearse() {
    f.reconcile();
    assertThat(planArgs()).doesNotContain("--rehearse");
  }
}
