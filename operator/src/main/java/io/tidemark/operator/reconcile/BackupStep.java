package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.BackupFiles;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.BackupStatus;

/**
 * The backup before a change (and before a rollback): a pg_dump Job. Done once status.lastBackup
 * names this backup's Job; a failed backup stops the change it was for.
 */
final class BackupStep {
  private BackupStep() {}

  /**
   * Takes the backup {@code job} of the database at {@code revision}, unless it is taken already.
   *
   * @param protect a dump the pruning must keep (the one a restore is about to use), or null
   * @param onFailure what the change the backup was for records when it fails
   */
  static StepResult ensure(
      FlowContext ctx, String job, String revision, String protect, Runnable onFailure) {
    BackupStatus last = ctx.status.getLastBackup();
    if (last != null && job.equals(last.getJob())) {
      return StepResult.PROCEED;
    }
    return ctx.runJob(
        Step.BACKUP,
        job,
        () ->
            ctx.deps
                .jobs()
                .backupJob(
                    ctx.resource(),
                    job,
                    ctx.backupImage(),
                    BackupFiles.fileName(ctx.resource(), ctx.now(), revision),
                    revision,
                    protect),
        state -> succeeded(ctx, job, revision, state),
        state -> {
          onFailure.run();
          return failed(ctx, job, state);
        });
  }

  private static StepResult succeeded(
      FlowContext ctx, String job, String revision, JobState state) {
    BackupStatus b =
        RunRecords.backup(job, ctx.jobs.find(job).orElse(null), revision, state, ctx.now());
    ctx.status.setLastBackup(b);
    ctx.deps.metrics().backupFinished(true, ctx.jobs.duration(job));
    ctx.deps.events().normal(ctx.resource(), Reason.BACKUP_COMPLETED, RunRecords.describeBackup(b));
    return StepResult.PROCEED;
  }

  private static StepResult failed(FlowContext ctx, String job, JobState state) {
    ctx.deps.metrics().backupFinished(false, ctx.jobs.duration(job));
    String detail =
        state.message() == null || state.message().isBlank() ? state.reason() : state.message();
    return ctx.fail(
        Step.BACKUP,
        job,
        Reason.BACKUP_FAILED,
        "Backup failed, so no migration ran: " + detail,
        false);
  }
}
