package io.tidemark.migrate;

import io.tidemark.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The order of the change command and its report, stage by stage: the plan and its checks, then
 * (only when something is to change) the backup, then the migrate or undo. Each stage goes into the
 * report as it ends, ok or not, so that a failure says where it stopped; nothing after a failed
 * stage runs. The report's {@code revisions} stay the planned ones; the change stage's {@code
 * count} says how many of them it did.
 */
final class ChangeStages {
  private final Report report;
  private final Console console;

  ChangeStages(Report report, Console console) {
    this.report = report;
    this.console = console;
  }

  /**
   * @param plan plans and checks; throws to refuse
   * @param backup takes the backup, or null for none
   * @param migrate migrates as the checked plan says
   * @param undo undoes as the checked plan says
   */
  void run(
      Supplier<CommandRunner.CheckedPlan> plan,
      Supplier<DumpBackup.Taken> backup,
      Consumer<CommandRunner.CheckedPlan> migrate,
      Consumer<CommandRunner.CheckedPlan> undo) {
    CommandRunner.CheckedPlan checked = stage(Report.Stage.PLAN, plan);
    Plan planned = checked.plan();
    if (planned.direction() == Plan.Direction.none && report.baseline == null) {
      console.out("At revision " + report.current + ", the target: nothing to change.");
      return;
    }
    if (backup != null) {
      DumpBackup.Taken taken = stage(Report.Stage.BACKUP, backup);
      report.file = taken.file();
      report.sizeBytes = taken.sizeBytes();
    }
    boolean down = planned.direction() == Plan.Direction.down;
    List<String> revisions = report.revisions;
    List<String> undoMissing = report.undoMissing;
    // Until migrate or undo says what it did, it did nothing: a failure before its first revision
    // (the migration lock held elsewhere, Flyway's own validation) counts none.
    report.revisions(List.of(), List.of());
    long started = System.nanoTime();
    boolean ok = false;
    try {
      (down ? undo : migrate).accept(checked);
      ok = true;
    } finally {
      add(
          down ? Report.Stage.UNDO : Report.Stage.MIGRATE,
          ok,
          started,
          report.revisionsOrEmpty().size());
      report.revisions(revisions, undoMissing);
    }
  }

  private <T> T stage(String name, Supplier<T> work) {
    long started = System.nanoTime();
    boolean ok = false;
    try {
      T result = work.get();
      ok = true;
      return result;
    } finally {
      add(name, ok, started, null);
    }
  }

  private void add(String name, boolean ok, long startedNanos, Integer count) {
    if (report.stages == null) {
      report.stages = new ArrayList<>();
    }
    report.stages.add(new Report.Stage(name, ok, Durations.millisSince(startedNanos), count));
  }
}
