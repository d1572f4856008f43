package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.ApprovalPolicy;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import org.junit.jupiter.api.Test;

/**
 * spec.approval Manual end to end: the change waits with its plan in status; an approval of a stale
 * digest does nothing; the right digest runs it.
 */
class ApprovalIT extends E2eTestBase {
  private static void approve(DatabaseSchema r, String digest) {
    annotate(r, DatabaseSchema.APPROVE_ANNOTATION, digest);
  }

  @Test
  void aChangeWaitsForTheApprovalOfItsOwnPlan() throws Exception {
    String ns = newNamespaceWithDatabase();
    DatabaseSchema r = schema(ns, "shop", FIXED_IMAGE, "2");
    r.getSpec().setApproval(ApprovalPolicy.Manual);
    create(r);

    DatabaseSchema waiting = awaitPhase(ns, "shop", Phase.AwaitingApproval);
    String first = waiting.getStatus().getApproval().getDigest();
    assertThat(waiting.getStatus().getApproval().getRevisions()).containsExactly("1", "2");
    assertThat(waiting.getStatus().getApproval().getTo()).isEqualTo("2");
    assertThat(jobs(ns, Step.BACKUP)).isEmpty();
    assertThat(jobs(ns, Step.MIGRATE)).isEmpty();
    assertThat(tables(ns)).isEmpty();
    assertThat(eventReasons(ns, "shop")).contains("AwaitingApproval");

    // The target moves before anyone approved: a new plan, a new digest; the first one's approval
    // does nothing.
    edit(
        ns,
        "shop",
        x -> {
          x.getSpec().setTargetRevision("3");
          approve(x, first);
        });
    DatabaseSchema mismatch =
        awaitStatus(
            ns,
            "shop",
            x ->
                x.getStatus().getPhase() == Phase.AwaitingApproval
                    && condition(x, "Ready")
                        .map(c -> "ApprovalMismatch".equals(c.getReason()))
                        .orElse(false));
    String second = mismatch.getStatus().getApproval().getDigest();
    assertThat(second).isNotEqualTo(first);
    assertThat(mismatch.getStatus().getApproval().getRevisions()).containsExactly("1", "2", "3");
    assertThat(jobs(ns, Step.MIGRATE)).isEmpty();
    assertThat(tables(ns)).isEmpty();

    edit(ns, "shop", x -> approve(x, second));
    DatabaseSchema ready = awaitReadyAt(ns, "shop", "3");
    assertThat(ready.getStatus().getApproval().getApprovedAt()).isNotNull();
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(eventReasons(ns, "shop")).contains("ApprovalMismatch", "Approved", "Migrated");
  }
}
