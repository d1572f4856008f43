package io.tidemark.operator.reconcile;

import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.RunOutcome;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.operator.model.Timestamps;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether this flow clears a revision that failed part-way outside a transaction (an
 * INVALID index left by {@code CREATE INDEX CONCURRENTLY}, a failed history row). The failure holds
 * its own flow; a person's next move (a new generation or a new retry value) starts a new one,
 * whose plan and migrate Jobs then run the revision's undo script, remove its failed row and
 * migrate again (the runner's {@code --clear-failed}). The runner clears only what is there to
 * clear, so a request that meets nothing left behind changes nothing.
 */
final class PartialRevisionClearance {
  private PartialRevisionClearance() {}

  /**
   * The revision to clear before migrating, if the last failure left one and this is a new flow.
   */
  static Optional<String> revisionToClear(FlowContext ctx) {
    FailureStatus failure = ctx.status.getLastFailure();
    if (failure == null
        || failure.getRevision() == null
        || !Reason.REVISION_FAILED_PARTWAY.value().equals(failure.getReason())) {
      return Optional.empty();
    }
    if (ctx.key().is(failure.getEpoch())) {
      return Optional.empty();
    }
    RunStatus run = ctx.status.getLastRun();
    if (run != null
        && run.getOutcome() == RunOutcome.SUCCEEDED
        && run.getStartedAt() != null
        && !Timestamps.parseOr(run.getStartedAt(), Instant.MIN)
            .isBefore(Timestamps.parseOr(failure.getAt(), Instant.MAX))) {
      // A change succeeded since: the revision was cleared (or moved past); nothing is asked again.
      return Optional.empty();
    }
    return Optional.of(failure.getRevision());
  }
}
