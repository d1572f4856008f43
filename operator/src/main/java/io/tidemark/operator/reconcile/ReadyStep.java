package io.tidemark.operator.reconcile;

import io.tidemark.operator.model.Timestamps;
import io.tidemark.operator.rollout.Verdict;
import java.time.Duration;
import java.time.Instant;

/**
 * The schema is at its target: Ready, unless the watched rollout of the last change failed. Looks
 * again at the next re-plan or the end of the rollout window, whichever comes first.
 */
final class ReadyStep {
  /** The rollback starts on the next reconcile, from the decision recorded in the status. */
  static final Duration ROLLBACK_START = Duration.ofMillis(200);

  private ReadyStep() {}

  static StepResult run(FlowContext ctx) {
    var status = ctx.status;
    var deps = ctx.deps;
    Verdict verdict =
        deps.rollouts()
            .judge(
                ctx.resource(),
                status.getRolloutWatch(),
                status.getCurrentRevision(),
                ctx.now(),
                deps.workloads());
    status.setRolloutWatch(verdict.watch());
    if (verdict.kind() == Verdict.Kind.FAILED) {
      deps.events().warning(ctx.resource(), Reason.ROLLOUT_FAILED, verdict.message());
      // The decision is written to the status first; the rollback starts on the next reconcile,
      // from that record,
      // so an operator that dies in between never runs an unrecorded (and maybe no longer wanted)
      // rollback.
      ctx.show.rollingBack(verdict.message());
      return StepResult.recheckAfter(ROLLBACK_START);
    }
    if (verdict.kind() == Verdict.Kind.VERIFIED) {
      deps.events().normal(ctx.resource(), Reason.ROLLOUT_VERIFIED, verdict.message());
    }
    status.setLastFailure(null);
    status.setTransientFailures(0);
    ctx.show.ready();
    Instant next =
        Timestamps.parseOr(status.getLastPlan().getFinishedAt(), Instant.EPOCH)
            .plus(deps.settings().replanInterval());
    Duration untilReplan =
        ctx.now().isBefore(next) ? Duration.between(ctx.now(), next) : Duration.ofSeconds(1);
    Duration rollout = deps.rollouts().recheckAfter(status.getRolloutWatch(), ctx.now());
    return StepResult.recheckAfter(
        rollout != null && rollout.compareTo(untilReplan) < 0 ? rollout : untilReplan);
  }
}
