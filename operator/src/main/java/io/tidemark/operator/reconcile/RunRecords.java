package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.BackupStatus;
import io.tidemark.operator.model.DestructiveChange;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.HistoryAction;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RehearsalStatus;
import io.tidemark.operator.model.RunAction;
import io.tidemark.operator.model.RunOutcome;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.report.ExitCode;
import io.tidemark.report.Report;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns what a Job reported into the records the status keeps: the plan, the backup, the run, the
 * history entry, the failure. New records only; nothing here reads or writes the status.
 */
final class RunRecords {
  static final int HISTORY_LIMIT = 20;

  private RunRecords() {}

  static PlanStatus plan(
      Report report, String job, FlowKey key, long generation, Instant now, String image) {
    PlanStatus plan = new PlanStatus();
    plan.setJob(job);
    plan.setEpoch(key.text());
    plan.setGeneration(generation);
    plan.setFinishedAt(now.toString());
    Direction direction = Direction.fromReport(report.direction);
    plan.setDirection(direction == null ? Direction.NONE : direction);
    plan.setDigest(report.digest);
    plan.setServerVersion(report.server);
    plan.setImage(image);
    plan.setBaseline(report.baseline);
    plan.setRehearsal(rehearsal(report.rehearsal));
    plan.setUndoMissing(
        report.undoMissing == null || report.undoMissing.isEmpty() ? null : report.undoMissing);
    plan.setTruncated(report.truncated == null || report.truncated == 0 ? null : report.truncated);
    return plan;
  }

  /** The report's rehearsal as the status shows it; null when the plan did not rehearse. */
  static RehearsalStatus rehearsal(Report.Rehearsal r) {
    if (r == null) {
      return null;
    }
    RehearsalStatus status = new RehearsalStatus();
    status.setOutcome(r.outcome);
    status.setReason(r.reason == null ? null : Messages.bounded(r.reason));
    if (r.destructive != null && !r.destructive.isEmpty()) {
      List<DestructiveChange> found = new ArrayList<>();
      for (Report.Finding f : r.destructive) {
        found.add(DestructiveChange.of(f.revision, f.kind, f.object));
      }
      status.setDestructive(found);
    }
    status.setTruncated(r.truncated == null || r.truncated == 0 ? null : r.truncated);
    return status;
  }

  /** The Planned Event's text. */
  static String describePlan(Report report) {
    String adopt =
        report.baseline == null
            ? ""
            : "Adopts the existing schema (no history) at revision " + report.baseline + " first. ";
    return adopt + describeChange(report);
  }

  private static String describeChange(Report report) {
    if (Direction.fromReport(report.direction) == Direction.NONE
        || report.revisionsOrEmpty().isEmpty()) {
      return "At target revision " + report.current + " (latest in image: " + report.latest + ")";
    }
    String verb = Direction.fromReport(report.direction) == Direction.DOWN ? "to undo" : "to apply";
    return "At revision "
        + report.current
        + "; "
        + report.revisionsOrEmpty().size()
        + " revision(s) "
        + verb
        + " to reach "
        + report.target
        + ": "
        + listed(report.revisionsOrEmpty());
  }

  /**
   * Revisions for a message: all of them up to ten, else the first and last three and the count
   * ("12, 11, 10, ..., 3, 2, 1 (12 revisions)"); the status's pendingRevisions has them all.
   */
  static String listed(List<String> revisions) {
    if (revisions.size() <= 10) {
      return String.join(", ", revisions);
    }
    return String.join(", ", revisions.subList(0, 3))
        + ", ..., "
        + String.join(", ", revisions.subList(revisions.size() - 3, revisions.size()))
        + " ("
        + revisions.size()
        + " revisions)";
  }

  /** The BackupCompleted Event's text. */
  static String describeBackup(BackupStatus b) {
    return "Backup "
        + b.getFile()
        + " of revision "
        + b.getRevision()
        + " taken"
        + (b.getSizeBytes() == null ? "" : " (" + b.getSizeBytes() + " bytes)");
  }

  static BackupStatus backup(
      String jobName, Job job, String revision, JobState state, Instant now) {
    Report report = state.report().orElse(null);
    var annotations = job == null ? null : job.getMetadata().getAnnotations();
    return backup(
        jobName,
        annotations == null
            ? revision
            : annotations.getOrDefault(JobFactory.ANNOTATION_FROM, revision),
        report != null && report.file != null
            ? report.file
            : annotations == null ? null : annotations.get(JobFactory.ANNOTATION_BACKUP_FILE),
        report == null ? null : report.sizeBytes,
        now);
  }

  /** The backup record of a dump of {@code revision} in {@code file}, taken by {@code jobName}. */
  static BackupStatus backup(
      String jobName, String revision, String file, Long sizeBytes, Instant now) {
    BackupStatus b = new BackupStatus();
    b.setJob(jobName);
    b.setRevision(revision);
    b.setFile(file);
    b.setSizeBytes(sizeBytes);
    b.setTakenAt(now.toString());
    return b;
  }

  /** A run that has just started: its Job may not exist yet. */
  static RunStatus running(
      Step step, String jobName, Job job, String from, String to, Instant now) {
    RunStatus run = new RunStatus();
    run.setAction(action(step));
    run.setFrom(from);
    run.setTo(to);
    run.setJob(jobName);
    run.setStartedAt(
        job != null && job.getStatus() != null && job.getStatus().getStartTime() != null
            ? job.getStatus().getStartTime()
            : now.toString());
    run.setOutcome(RunOutcome.RUNNING);
    return run;
  }

  /** {@code run} (a copy of it) ended with {@code outcome}. */
  static RunStatus finished(RunStatus run, RunOutcome outcome, String message, Instant now) {
    RunStatus done = new RunStatus();
    done.setAction(run.getAction());
    done.setFrom(run.getFrom());
    done.setTo(run.getTo());
    done.setJob(run.getJob());
    done.setStartedAt(run.getStartedAt());
    done.setFinishedAt(now.toString());
    done.setOutcome(outcome);
    done.setMessage(Messages.bounded(message));
    return done;
  }

  /** The history with {@code entry} first, bounded. */
  static List<HistoryEntry> withEntry(
      List<HistoryEntry> history,
      HistoryAction action,
      String from,
      String to,
      List<String> revisions,
      String job,
      Instant now,
      String reason) {
    HistoryEntry entry = new HistoryEntry();
    entry.setAction(action);
    entry.setFrom(from);
    entry.setTo(to);
    entry.setRevisions(
        revisions == null || revisions.isEmpty() ? null : new ArrayList<>(revisions));
    entry.setJob(job);
    entry.setAt(now.toString());
    entry.setReason(reason == null ? null : Messages.bounded(reason));
    List<HistoryEntry> next = new ArrayList<>();
    next.add(entry);
    if (history != null) {
      next.addAll(history.subList(0, Math.min(history.size(), HISTORY_LIMIT - 1)));
    }
    return next;
  }

  static FailureStatus failure(
      Step step,
      String job,
      Reason reason,
      String message,
      boolean transientCause,
      FlowKey key,
      Instant now) {
    FailureStatus failure = new FailureStatus();
    failure.setStep(step.label());
    failure.setJob(job);
    failure.setReason(reason.value());
    failure.setMessage(Messages.bounded(message + " " + reason.advice()));
    failure.setAt(now.toString());
    failure.setTransientFailure(transientCause ? Boolean.TRUE : null);
    failure.setEpoch(key.text());
    return failure;
  }

  /**
   * Why a Job failed: the runner's reason when it wrote a report, else the deadline, else {@code
   * otherwise}.
   */
  static Reason reasonOf(JobState state, Reason otherwise) {
    Report report = state.report().orElse(null);
    if (report != null && report.reason != null) {
      return Reason.of(report.reason).orElse(Reason.INTERNAL);
    }
    return Reason.DEADLINE_EXCEEDED.value().equals(state.reason())
        ? Reason.DEADLINE_EXCEEDED
        : otherwise;
  }

  /**
   * A failure that may go away by itself (the database is restarting, the network is down): the
   * runner's "cannot connect" exit code, except a wrong password, a missing database or a server
   * that fails TLS verification, which stay until someone fixes them. (A TLS file not mounted yet
   * is transient: its Secret may be on its way, from cert-manager or CloudNativePG.)
   */
  static boolean isTransient(Report report) {
    return report != null
        && report.exit == ExitCode.CANNOT_CONNECT.code()
        && !io.tidemark.report.Reason.AuthenticationFailed.name().equals(report.reason)
        && !io.tidemark.report.Reason.DatabaseNotFound.name().equals(report.reason)
        && !io.tidemark.report.Reason.TlsVerificationFailed.name().equals(report.reason);
  }

  /** What went wrong in the Job's words: the runner's message, else the Job's or Pod's. */
  static String whatHappened(JobState state) {
    Report report = state.report().orElse(null);
    return report != null && report.message != null
        ? report.message
        : Objects.requireNonNullElse(state.message(), "");
  }

  static String changeFailedMessage(
      Step step, String from, String to, JobState state, String currentRevision) {
    Report report = state.report().orElse(null);
    String what = whatHappened(state);
    return (step == Step.MIGRATE ? "Migration" : "Undo")
        + " from "
        + from
        + " to "
        + to
        + " failed"
        + (report != null && report.failed != null ? " at revision " + report.failed : "")
        + ": "
        + what
        + (what.contains("database is at revision") || what.contains("could not be read afterwards")
            ? ""
            : currentRevision != null
                ? ". The database is at revision " + currentRevision + "."
                : ". The revision the database is at is not known (the runner did not report it); the next plan reads it.");
  }

  /**
   * "any revision from F to T" for a run that ended without saying where it left the database (the
   * revision it started from or went to may not be known).
   */
  static String anyRevisionBetween(RunStatus run) {
    return "any revision from "
        + Objects.requireNonNullElse(run.getFrom(), "the one it was at")
        + " to "
        + Objects.requireNonNullElse(run.getTo(), "the target");
  }

  static RunAction action(Step step) {
    return switch (step) {
      case MIGRATE -> RunAction.MIGRATE;
      case UNDO -> RunAction.UNDO;
      case RESTORE -> RunAction.RESTORE;
      case CHANGE -> RunAction.CHANGE;
      default -> throw new IllegalArgumentException("not a change: " + step);
    };
  }

  static Step step(RunAction action) {
    if (action == null) {
      return Step.RESTORE; // an action this version does not know, as earlier versions read it
    }
    return switch (action) {
      case MIGRATE -> Step.MIGRATE;
      case UNDO -> Step.UNDO;
      case RESTORE -> Step.RESTORE;
      case CHANGE -> Step.CHANGE;
    };
  }
}
