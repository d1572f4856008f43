package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.BaselineStatus;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.Timestamps;
import io.tidemark.report.Report;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * spec.baseline: adopting an existing schema that has objects but no history. The runner decides
 * from the database whether a baseline is needed (never when there is a history); this class
 * decides when to ask for it, and records it once it happened.
 */
final class Adoption {
  private Adoption() {}

  /**
   * The revision to pass as --baseline-at to the plan and migrate Jobs: spec.baseline.revision,
   * until Tidemark has recorded a baseline for this resource.
   */
  static Optional<String> baselineAt(FlowContext ctx) {
    if (ctx.status.getBaseline() != null) {
      return Optional.empty();
    }
    return ctx.resource().getSpec().baselineRevision();
  }

  /**
   * A migrate Job's report says the schema was adopted: status.baseline, a history entry under the
   * change's, and an Event. A failed migrate reports it too when the baseline row was written (the
   * runner read a revision back after the failure).
   */
  static void recordIfBaselined(FlowContext ctx, Step step, String job, Report report) {
    if (step != Step.MIGRATE || report == null || report.baseline == null) {
      return;
    }
    if (!report.succeeded() && report.current == null) {
      return;
    }
    var status = ctx.status;
    status.setBaseline(BaselineStatus.of(report.baseline, ctx.now().toString(), job));
    status.setHistory(
        RunRecords.withEntry(
            status.getHistory(),
            HistoryAction.BASELINED,
            null,
            report.baseline,
            List.of(report.baseline),
            job,
            ctx.now(),
            null));
    ctx.deps
        .events()
        .normal(
            ctx.resource(),
            Reason.BASELINED,
            "Adopted the existing schema at revision "
                + report.baseline
                + " (spec.baseline): revisions up to it are recorded as applied.");
  }

  /**
   * A Restore rollback put back a dump taken before the schema was adopted: the database has no
   * history again, so the next change adopts it again.
   */
  static void forgetIfRestoredBeforeIt(FlowContext ctx, RolloutWatchStatus watch) {
    BaselineStatus baseline = ctx.status.getBaseline();
    if (baseline == null || watch == null) {
      return;
    }
    Instant adopted = Timestamps.parseOr(baseline.getAt(), Instant.MAX);
    Instant changed = Timestamps.parseOr(watch.getChangedAt(), Instant.MAX);
    if (!adopted.isBefore(changed)) {
      ctx.status.setBaseline(null);
    }
  }
}
