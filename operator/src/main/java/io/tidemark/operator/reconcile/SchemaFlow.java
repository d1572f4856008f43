package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tidemark.operator.jobs.BackupFiles;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobInspector;
import io.tidemark.operator.jobs.JobInspector.JobState;
import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.jobs.RunnerReport;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.BackupStatus;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.FailureStatus;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.RolloutWatchStatus;
import io.tidemark.operator.model.RunStatus;
import io.tidemark.operator.rollout.RolloutGuard;
import io.tidemark.operator.rollout.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One reconcile of one DatabaseSchema: plan, then (when something changes) backup, then migrate or
 * undo, then plan again to confirm. Everything it decides is derived from the status and the Jobs
 * that exist, and every Job name from the status as it was before the Job existed; so an operator
 * restarted between any two steps computes the same next step and the same Job name, and finds
 * the Job rather than creating a second one.
 */
final class SchemaFlow {
  static final int HISTORY_LIMIT = 20;
  static final int MAX_NAME = 63;
  /** Events wake us when a Job moves; this timer is the safety net for a missed one. */
  private static final Duration RUNNING_RECHECK = Duration.ofSeconds(30);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(10);

  private final DatabaseSchema resource;
  private final DatabaseSchemaStatus status;
  private final Map<String, Job> jobs;
  private final Collection<Pod> pods;
  private final Collection<DatabaseSchema> sameDatabase;
  private final Instant now;
  private final FlowDependencies deps;
  private final long generation;
  /** What each Job is doing, read once per reconcile: the Pods do not change during one. */
  private final Map<Job, JobState> states = new java.util.IdentityHashMap<>();
  /** Set while a Ready resource's periodic re-plan runs: it shows nothing until it finds something. */
  private boolean quiet;

  SchemaFlow(DatabaseSchema resource, Map<String, Job> jobs, Collection<Pod> pods,
      Collection<DatabaseSchema> sameDatabase, Instant now, FlowDependencies deps) {
    this.resource = resource;
    this.status = resource.getStatus();
    this.jobs = jobs;
    this.pods = pods;
    this.sameDatabase = sameDatabase;
    this.now = now;
    this.deps = deps;
    Long gen = resource.getMetadata().getGeneration();
    this.generation = gen == null ? 0L : gen;
  }

  /** Runs steps until one has to wait; returns when to look again (null: on the next event). */
  Duration run() {
    for (int pass = 0; pass < 6; pass++) {
      FlowOutcome outcome = pass();
      if (!outcome.proceed()) {
        return outcome.recheckAfter();
      }
    }
    return Duration.ofSeconds(1);
  }

  private FlowOutcome pass() {
    // A change (migrate, undo, restore) in flight comes first, whatever happened to the spec meanwhile:
    // its result is recorded, and nothing new starts beside it.
    FlowOutcome inFlight = changeInFlight();
    if (inFlight != null) {
      return inFlight;
    }
    Optional<Job> running = jobs.values().stream()
        .filter(j -> state(j).kind() == JobState.Kind.RUNNING).findFirst();
    if (running.isPresent()) {
      // A plan or backup of an older flow (the spec changed under it): let it end before the next one starts.
      Job j = running.get();
      String label = j.getMetadata().getLabels() == null ? null : j.getMetadata().getLabels().get(JobFactory.LABEL_STEP);
      Step step = label == null ? Step.PLAN : Step.fromLabel(label);
      if (!(step == Step.PLAN && periodicReplan(epoch()))) {
        progressing(step, "Job " + j.getMetadata().getName() + " is running");
      }
      return FlowOutcome.recheckAfter(RUNNING_RECHECK);
    }
    List<String> problems = SpecValidator.problems(resource.getSpec());
    if (resource.getMetadata().getName().length() > MAX_NAME) {
      problems = new ArrayList<>(problems);
      problems.add("metadata.name is longer than " + MAX_NAME + " characters: Tidemark labels its Jobs with it, and label "
          + "values are limited to 63; use a shorter name");
    }
    if (!problems.isEmpty()) {
      return refuse(Phase.Failed, "InvalidSpec", "Invalid spec, nothing runs: " + String.join("; ", problems) + ".", null);
    }
    Optional<DatabaseSchema> owner = DatabaseClaims.ownerOtherThan(resource, sameDatabase);
    if (owner.isPresent()) {
      DatabaseSchema o = owner.get();
      return refuse(Phase.Blocked, "DatabaseClaimed", "Database " + DatabaseClaims.key(resource.getSpec().getDatabase(),
          resource.getMetadata().getNamespace())
          + " is already managed by DatabaseSchema " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()
          + "; two resources never migrate one database. Delete one of them, or point this one at another database.",
          deps.settings().blockedRecheck());
    }
    if (resource.getSpec().isSuspended()) {
      return suspended();
    }

    String epoch = epoch();
    FailureStatus failure = status.getLastFailure();
    if (failure != null && epoch.equals(failure.getEpoch())) {
      cleanUpJobThatCannotStart(failure.getJob());
      if (!Boolean.TRUE.equals(failure.getTransientFailure())) {
        showFailure(failure);
        return FlowOutcome.waitForEvents();
      }
      Duration backoff = backoff();
      Instant retryAt = Instant.parse(failure.getAt()).plus(backoff);
      if (now.isBefore(retryAt)) {
        showFailure(failure);
        return FlowOutcome.recheckAfter(Duration.between(now, retryAt));
      }
      // A new attempt is a new flow: new Job names, so nothing of the failed one is reused.
      status.setAttempt(attempt() + 1);
      epoch = epoch();
    }

    RolloutWatchStatus watch = status.getRolloutWatch();
    if (watch != null && RolloutGuard.ROLLBACK_FAILED.equals(watch.getState())) {
      if (sameGeneration(watch.getHeldFor(), epoch)) {
        // The retry annotation after a failed rollback means: try the rollback again (new Job names).
        watch.setState(RolloutGuard.FAILED);
        watch.setAttempt((watch.getAttempt() == null ? 0 : watch.getAttempt()) + 1);
      } else {
        // A new spec is the person's decision about where the schema goes now.
        watch.setState(RolloutGuard.SUPERSEDED);
        watch.setMessage("The spec changed after the failed rollback; Tidemark follows the new spec.");
      }
    }
    if (watch != null && RolloutGuard.FAILED.equals(watch.getState())) {
      return rollback(epoch, watch);
    }

    String flow = epoch;
    String planJob = planJobNeeded(flow);
    if (planJob != null) {
      // The periodic re-plan of a Ready resource checks for drift without flipping Ready: Argo CD and
      // alerts would otherwise see the schema leave Ready every interval.
      quiet = periodicReplan(flow);
      FlowOutcome planned = runStep(Step.PLAN, planJob, () -> deps.jobs().planJob(resource, planJob),
          state -> harvestPlan(planJob, flow, state), state -> planFailed(planJob, flow, state));
      quiet = false;
      if (!planned.proceed()) {
        return planned;
      }
    }
    return change(flow);
  }

  // ---- the plan -------------------------------------------------------------------------

  /** The plan Job this flow needs, or null when the last plan still holds. */
  private String planJobNeeded(String epoch) {
    PlanStatus last = status.getLastPlan();
    if (last == null || !epoch.equals(last.getEpoch())) {
      return JobNames.of(name(), uid(), Step.PLAN, epoch);
    }
    boolean idle = "none".equals(last.getDirection()) && status.getLastFailure() == null;
    if (idle && !resource.getSpec().isSuspended() && last.getFinishedAt() != null
        && !now.isBefore(Instant.parse(last.getFinishedAt()).plus(deps.settings().replanInterval()))) {
      // The periodic re-plan that notices drift: "the plan after the last plan".
      return JobNames.of(name(), uid(), Step.PLAN, epoch, "after", last.getJob());
    }
    return null;
  }

  private FlowOutcome harvestPlan(String job, String epoch, JobState state) {
    Optional<RunnerReport> maybeReport = state.report();
    if (maybeReport.isEmpty() || !maybeReport.get().succeeded()) {
      return planFailed(job, epoch, state);
    }
    RunnerReport report = maybeReport.get();
    String previous = status.getCurrentRevision();
    String previousEpoch = status.getLastPlan() == null ? null : status.getLastPlan().getEpoch();
    PlanStatus plan = new PlanStatus();
    plan.setJob(job);
    plan.setEpoch(epoch);
    plan.setGeneration(generation);
    plan.setFinishedAt(now.toString());
    plan.setDirection(report.direction() == null ? "none" : report.direction());
    plan.setDigest(report.digest());
    plan.setServerVersion(report.server());
    plan.setImage(resource.getSpec().getMigrations().getImage());
    plan.setUndoMissing(report.undoMissing() == null || report.undoMissing().isEmpty() ? null : report.undoMissing());
    plan.setTruncated(report.truncated() == null || report.truncated() == 0 ? null : report.truncated());
    status.setLastPlan(plan);
    status.setCurrentRevision(report.current());
    status.setTargetRevision(report.target());
    status.setLatestRevision(report.latest());
    status.setPendingRevisions(new ArrayList<>(report.revisionsOrEmpty()));

    boolean movedOutside = previous != null && report.current() != null && !previous.equals(report.current());
    boolean outsideChangeShown = Conditions.get(status, Conditions.DRIFTED)
        .map(c -> "True".equals(c.getStatus()) && "SchemaChangedOutside".equals(c.getReason())).orElse(false);
    if (movedOutside) {
      Conditions.set(status, Conditions.DRIFTED, true, "SchemaChangedOutside", "The database was at revision "
          + report.current() + " but Tidemark last left it at " + previous
          + ": someone changed the schema outside Tidemark. Tidemark brings it back to the target; update the spec "
          + "or set the db.tidemark.io/retry annotation to acknowledge.", generation, now);
      deps.events().warning(resource, "SchemaDrift", "Database at revision " + report.current()
          + ", expected " + previous + " (changed outside Tidemark)");
    } else if (!outsideChangeShown || acknowledged(previousEpoch, epoch)) {
      // An outside change stays visible until someone acknowledges it with a new generation or retry value.
      Conditions.set(status, Conditions.DRIFTED, false, "NoDrift",
          "Applied migrations match the image (digest " + shortDigest(report.digest()) + ").", generation, now);
    }
    if (!"none".equals(plan.getDirection()) || !epoch.equals(previousEpoch)) {
      // A periodic re-plan that finds nothing new stays quiet: one Event per change, not one every interval.
      deps.events().normal(resource, "Planned", describePlan(report));
    }
    return FlowOutcome.PROCEED;
  }

  private FlowOutcome planFailed(String job, String epoch, JobState state) {
    RunnerReport report = state.report().orElse(null);
    // Without a report the runner did not get far enough to write one (a crash, a wrong entrypoint): the log says why.
    String reason = report != null && report.reason() != null ? report.reason()
        : "DeadlineExceeded".equals(state.reason()) ? "DeadlineExceeded" : "JobFailed";
    String message = "Plan failed: " + (report != null && report.message() != null ? report.message() : state.message());
    if (report != null && report.current() != null) {
      status.setCurrentRevision(report.current());
    }
    if ("ValidationFailed".equals(reason)) {
      Conditions.set(status, Conditions.DRIFTED, true, "ChecksumMismatch", message, generation, now);
    }
    boolean transientCause = report != null && report.isTransient();
    return recordFailure(Step.PLAN, job, epoch, reason, message, transientCause);
  }

  /** Both flows belong to the same metadata.generation (they may differ in retry value or attempt). */
  static boolean sameGeneration(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return a.substring(0, Math.max(0, a.indexOf('|'))).equals(b.substring(0, Math.max(0, b.indexOf('|'))));
  }

  /** A new generation or retry value since the plan of {@code previous}: the person has seen the state. */
  private static boolean acknowledged(String previous, String current) {
    if (previous == null) {
      return true;
    }
    return !previous.substring(0, Math.max(0, previous.indexOf("|a")))
        .equals(current.substring(0, Math.max(0, current.indexOf("|a"))));
  }

  private static String describePlan(RunnerReport report) {
    if ("none".equals(report.direction()) || report.revisionsOrEmpty().isEmpty()) {
      return "At target revision " + report.current() + " (latest in image: " + report.latest() + ")";
    }
    String verb = "down".equals(report.direction()) ? "to undo" : "to apply";
    return "At revision " + report.current() + "; " + report.revisionsOrEmpty().size() + " revision(s) " + verb
        + " to reach " + report.target() + ": " + String.join(", ", report.revisionsOrEmpty());
  }

  // ---- backup and change -----------------------------------------------------------------

  private FlowOutcome change(String epoch) {
    PlanStatus plan = status.getLastPlan();
    String direction = plan.getDirection();
    if ("none".equals(direction)) {
      return ready();
    }
    RolloutWatchStatus watch = status.getRolloutWatch();
    if (watch != null && RolloutGuard.ROLLED_BACK.equals(watch.getState()) && !acknowledged(watch.getHeldFor(), epoch)) {
      return refuse(Phase.Blocked, "RolledBack", "Rolled back from revision " + watch.getTo() + " to " + watch.getFrom()
          + " (" + watch.getStrategy() + ") after a failed rollout: " + watch.getMessage() + " No migration runs until the "
          + "spec changes or the db.tidemark.io/retry annotation is set.", null, false);
    }
    boolean up = "up".equals(direction);
    List<String> undoMissing = plan.getUndoMissing() == null ? List.of() : plan.getUndoMissing();
    if (!up && !undoMissing.isEmpty()) {
      return recordFailure(Step.PLAN, plan.getJob(), epoch, "UndoScriptMissing", "Cannot go down to revision "
          + status.getTargetRevision() + ": no undo script for revision(s) " + String.join(", ", undoMissing)
          + ". Nothing was changed.", false);
    }
    RollbackSpec rollback = resource.getSpec().getRollback();
    if (up && rollback != null && rollback.getOnFailedRollout() != null
        && rollback.strategyOrDefault() == RollbackSpec.RollbackStrategy.Undo && plan.getTruncated() != null) {
      return recordFailure(Step.PLAN, plan.getJob(), epoch, "NoWayBack", "Refusing to migrate to revision "
          + status.getTargetRevision() + ": the plan lists more revisions than its report holds (" + plan.getTruncated()
          + " cut), so Tidemark cannot check that each has an undo script for a rollback. Upgrade in smaller steps "
          + "(a lower targetRevision first) or use strategy Restore. Nothing was changed.", false);
    }
    if (up && rollback != null && rollback.getOnFailedRollout() != null
        && rollback.strategyOrDefault() == RollbackSpec.RollbackStrategy.Undo && !undoMissing.isEmpty()) {
      return recordFailure(Step.PLAN, plan.getJob(), epoch, "NoWayBack", "Refusing to migrate to revision "
          + status.getTargetRevision() + ": rollback on failed rollout uses Undo, but revision(s) "
          + String.join(", ", undoMissing) + " have no undo script. Add the U scripts to the image, or use strategy "
          + "Restore. Nothing was changed.", false);
    }

    if (resource.getSpec().getBackup().isEnabled()) {
      String backupJob = JobNames.of(name(), uid(), Step.BACKUP, plan.getJob());
      BackupStatus last = status.getLastBackup();
      if (last == null || !backupJob.equals(last.getJob())) {
        String revision = Objects.requireNonNullElse(status.getCurrentRevision(), "0");
        FlowOutcome backedUp = runStep(Step.BACKUP, backupJob,
            () -> deps.jobs().backupJob(resource, backupJob, backupImage(plan), BackupFiles.fileName(resource, now, revision),
                revision, null),
            state -> backupSucceeded(backupJob, revision, state),
            state -> backupFailed(backupJob, epoch, state));
        if (!backedUp.proceed()) {
          return backedUp;
        }
      }
    }

    Step step = up ? Step.MIGRATE : Step.UNDO;
    String changeJob = JobNames.of(name(), uid(), step, plan.getJob());
    RunStatus run = status.getLastRun();
    if (run != null && changeJob.equals(run.getJob()) && !"Running".equals(run.getOutcome())) {
      // Already harvested; the epoch moves on with the history, so this is only reached on failure.
      return FlowOutcome.waitForEvents();
    }
    String from = Objects.requireNonNullElse(status.getCurrentRevision(), "0");
    String to = status.getTargetRevision();
    return runStep(step, changeJob,
        () -> {
          status.setLastRun(running(step, changeJob, from, to));
          return deps.jobs().changeJob(resource, changeJob, step, from, to);
        },
        state -> changeSucceeded(step, changeJob, from, to, state),
        state -> changeFailed(step, changeJob, epoch, from, to, state));
  }

  private String backupImage(PlanStatus plan) {
    String image = resource.getSpec().getBackup().getImage();
    return image != null ? image : deps.jobs().settings().backupImageFor(plan.getServerVersion());
  }

  private FlowOutcome backupSucceeded(String job, String revision, JobState state) {
    Job backup = jobs.get(job);
    RunnerReport report = state.report().orElse(null);
    BackupStatus b = new BackupStatus();
    b.setJob(job);
    b.setRevision(backup != null && backup.getMetadata().getAnnotations() != null
        ? backup.getMetadata().getAnnotations().getOrDefault(JobFactory.ANNOTATION_FROM, revision) : revision);
    b.setFile(report != null && report.file() != null ? report.file()
        : backup == null ? null : backup.getMetadata().getAnnotations().get(JobFactory.ANNOTATION_BACKUP_FILE));
    b.setSizeBytes(report == null ? null : report.sizeBytes());
    b.setTakenAt(now.toString());
    status.setLastBackup(b);
    deps.metrics().backupFinished(resource, true, jobDuration(backup), b.getSizeBytes());
    deps.events().normal(resource, "BackupCompleted", "Backup " + b.getFile() + " of revision " + b.getRevision()
        + " taken" + (b.getSizeBytes() == null ? "" : " (" + b.getSizeBytes() + " bytes)"));
    return FlowOutcome.PROCEED;
  }

  private FlowOutcome backupFailed(String job, String epoch, JobState state) {
    deps.metrics().backupFinished(resource, false, jobDuration(jobs.get(job)), null);
    String detail = state.message() == null || state.message().isBlank() ? state.reason() : state.message();
    return recordFailure(Step.BACKUP, job, epoch, "BackupFailed", "Backup failed, so no migration ran: " + detail,
        false);
  }

  private FlowOutcome changeSucceeded(Step step, String job, String from, String to, JobState state) {
    RunnerReport report = state.report().orElse(null);
    if (report == null || !report.succeeded()) {
      return changeFailed(step, job, epoch(), from, to, state);
    }
    RunStatus run = runStatus(step, job, from, to);
    run.setFinishedAt(now.toString());
    run.setOutcome("Succeeded");
    List<String> revisions = report.revisionsOrEmpty();
    run.setMessage((step == Step.MIGRATE ? "Applied " : "Undid ") + (revisions.isEmpty() ? "nothing" : String.join(", ", revisions))
        + "; now at revision " + report.current());
    status.setLastRun(run);
    status.setCurrentRevision(report.current());
    status.setTransientFailures(0);

    HistoryEntry entry = new HistoryEntry();
    entry.setAction(step == Step.MIGRATE ? "Applied" : "Undone");
    entry.setFrom(from);
    entry.setTo(report.current());
    entry.setRevisions(revisions.isEmpty() ? null : new ArrayList<>(revisions));
    entry.setJob(job);
    entry.setAt(now.toString());
    addHistory(entry);

    deps.metrics().changeFinished(resource, step.label(), true, jobDuration(jobs.get(job)),
        step == Step.MIGRATE ? revisions.size() : 0);
    deps.events().normal(resource, step == Step.MIGRATE ? "Migrated" : "Undone",
        run.getMessage() + " (from " + from + ")");
    deps.rollouts().changeCompleted(resource, status, from, report.current(), now, deps.workloads());
    return FlowOutcome.PROCEED;
  }

  private FlowOutcome changeFailed(Step step, String job, String epoch, String from, String to, JobState state) {
    RunnerReport report = state.report().orElse(null);
    String reason = report != null && report.reason() != null ? report.reason()
        : "DeadlineExceeded".equals(state.reason()) ? "DeadlineExceeded" : "MigrationFailed";
    String what = report != null && report.message() != null ? report.message() : Objects.requireNonNullElse(state.message(), "");
    if (report != null && report.current() != null) {
      status.setCurrentRevision(report.current());
    }
    String at = status.getCurrentRevision();
    String message = (step == Step.MIGRATE ? "Migration" : "Undo") + " from " + from + " to " + to + " failed"
        + (report != null && report.failed() != null ? " at revision " + report.failed() : "") + ": " + what
        + (at != null && !what.contains("database is at revision") ? ". The database is at revision " + at + "." : "");
    RunStatus run = runStatus(step, job, from, to);
    run.setFinishedAt(now.toString());
    run.setOutcome("Failed");
    run.setMessage(Messages.bounded(message));
    status.setLastRun(run);
    deps.metrics().changeFinished(resource, step.label(), false, jobDuration(jobs.get(job)), 0);
    return recordFailure(step, job, epoch, reason, message, report != null && report.isTransient());
  }

  /** The run of {@code job}: lastRun when it is that Job's, otherwise a new record of it. */
  private RunStatus runStatus(Step step, String job, String from, String to) {
    RunStatus run = status.getLastRun();
    return run != null && job.equals(run.getJob()) ? run : running(step, job, from, to);
  }

  private JobState state(Job job) {
    return states.computeIfAbsent(job, x -> JobInspector.inspect(x, pods));
  }

  /** A plan of a Ready resource for the flow it is already Ready in: the periodic re-plan, which stays quiet. */
  private boolean periodicReplan(String epoch) {
    return status.getPhase() == Phase.Ready && status.getLastPlan() != null && epoch.equals(status.getLastPlan().getEpoch());
  }

  // ---- the change in flight --------------------------------------------------------------

  /**
   * The migrate, undo or restore Job that lastRun records as Running, if any: wait while it runs
   * (nothing else starts beside a change), then record its result, whatever the spec says now.
   * Null when no change is in flight.
   */
  private FlowOutcome changeInFlight() {
    RunStatus run = status.getLastRun();
    if (run == null || !"Running".equals(run.getOutcome()) || run.getJob() == null) {
      return null;
    }
    Step step = "Migrate".equals(run.getAction()) ? Step.MIGRATE : "Undo".equals(run.getAction()) ? Step.UNDO : Step.RESTORE;
    RolloutWatchStatus watch = status.getRolloutWatch();
    boolean rollbackJob = watch != null && run.getJob().equals(watch.getRollbackJob());
    String epoch = epoch();
    Job job = jobs.get(run.getJob());
    if (job == null) {
      // Missing from the cache: confirm with the API server before the irreversible conclusion below.
      job = deps.client().batch().v1().jobs().inNamespace(namespace()).withName(run.getJob()).get();
      if (job != null) {
        jobs.put(run.getJob(), job);
      }
    }
    if (job == null) {
      // Deleted by someone, or by its TTL before we saw it end. Its outcome is unknown: never run it blindly again.
      run.setOutcome("Failed");
      run.setFinishedAt(now.toString());
      run.setMessage("The Job disappeared before Tidemark saw it finish.");
      if (rollbackJob) {
        watch.setState(RolloutGuard.ROLLBACK_FAILED);
        watch.setHeldFor(epoch);
      }
      return recordFailure(step, run.getJob(), epoch, "JobDeleted", "The " + step.label() + " Job " + run.getJob()
          + " was deleted before it finished: the database may be at any revision from " + run.getFrom() + " to "
          + run.getTo() + ".", false);
    }
    JobState state = state(job);
    switch (state.kind()) {
      case RUNNING:
        progressing(step, "Job " + run.getJob() + " is running");
        return FlowOutcome.recheckAfter(RUNNING_RECHECK);
      case CANNOT_START:
        run.setOutcome("Failed");
        run.setFinishedAt(now.toString());
        run.setMessage(Messages.bounded(state.message()));
        if (rollbackJob) {
          watch.setState(RolloutGuard.ROLLBACK_FAILED);
          watch.setHeldFor(epoch);
        }
        FlowOutcome outcome = recordFailure(step, run.getJob(), epoch, state.reason(),
            "The " + step.label() + " Job cannot start: " + state.message(), true);
        cleanUpJobThatCannotStart(run.getJob());
        return outcome;
      case SUCCEEDED:
        return rollbackJob ? rolledBack(step, run.getJob(), epoch, watch, run.getFrom(), state)
            : changeSucceeded(step, run.getJob(), run.getFrom(), run.getTo(), state);
      case FAILED:
      default:
        return rollbackJob ? rollbackFailed(step, run.getJob(), epoch, watch, run.getFrom(), state)
            : changeFailed(step, run.getJob(), epoch, run.getFrom(), run.getTo(), state);
    }
  }

  private RunStatus running(Step step, String job, String from, String to) {
    RunStatus started = new RunStatus();
    started.setAction(step == Step.MIGRATE ? "Migrate" : step == Step.UNDO ? "Undo" : "Restore");
    started.setFrom(from);
    started.setTo(to);
    started.setJob(job);
    Job j = jobs.get(job);
    started.setStartedAt(j != null && j.getStatus() != null && j.getStatus().getStartTime() != null
        ? j.getStatus().getStartTime() : now.toString());
    started.setOutcome("Running");
    return started;
  }


  // ---- rollback after a failed rollout ---------------------------------------------------

  /**
   * Puts the schema back to the revision before the upgrade whose rollout failed: Undo (after a
   * backup, like any change) or Restore (the dump taken before the upgrade). Job names derive
   * from the change and the flow, so a restart finds them and a retry makes new ones.
   */
  private FlowOutcome rollback(String epoch, RolloutWatchStatus watch) {
    RollbackSpec.RollbackStrategy strategy = resource.getSpec().getRollback() == null
        ? RollbackSpec.RollbackStrategy.Undo : resource.getSpec().getRollback().strategyOrDefault();
    // Named after the change and the rollback attempt only: a new spec or retry value during a rollback
    // must not start a second one beside it.
    String key = watch.getChangedAt() + "|" + watch.getTo();
    String attempt = String.valueOf(watch.getAttempt() == null ? 0 : watch.getAttempt());
    String from = Objects.requireNonNullElse(status.getCurrentRevision(), watch.getTo());
    String to = watch.getFrom();
    watch.setStrategy(strategy.name());
    boolean restore = strategy == RollbackSpec.RollbackStrategy.Restore;
    if (restore && watch.getBackupFile() == null) {
      watch.setState(RolloutGuard.ROLLBACK_FAILED);
      watch.setHeldFor(epoch);
      return recordFailure(Step.RESTORE, null, epoch, "RollbackFailed", "Cannot restore: no backup was recorded "
          + "before the upgrade to revision " + watch.getTo() + ". The rollout failure: " + watch.getMessage(), false);
    }
    if (resource.getSpec().getBackup().isEnabled()) {
      // Like any change, a rollback is backed up first: what was written during the window is not lost.
      String backupJob = JobNames.of(name(), uid(), Step.BACKUP, "rollback", key, attempt);
      BackupStatus last = status.getLastBackup();
      if (last == null || !backupJob.equals(last.getJob())) {
        FlowOutcome backedUp = runStep(Step.BACKUP, backupJob,
            () -> deps.jobs().backupJob(resource, backupJob, backupImage(status.getLastPlan()),
                BackupFiles.fileName(resource, now, from), from, restore ? watch.getBackupFile() : null),
            state -> backupSucceeded(backupJob, from, state),
            state -> {
              watch.setState(RolloutGuard.ROLLBACK_FAILED);
              watch.setHeldFor(epoch);
              return backupFailed(backupJob, epoch, state);
            });
        if (!backedUp.proceed()) {
          return backedUp;
        }
      }
    }
    Step step = restore ? Step.RESTORE : Step.UNDO;
    String job = JobNames.of(name(), uid(), step, "rollback", key, attempt);
    String image = backupImage(status.getLastPlan());
    return runStep(step, job, () -> {
      watch.setRollbackJob(job);
      status.setLastRun(running(step, job, from, to));
      return restore ? deps.jobs().restoreJob(resource, job, image, watch.getBackupFile(), from, to)
          : deps.jobs().changeJob(resource, job, Step.UNDO, from, to);
    }, state -> rolledBack(step, job, epoch, watch, from, state),
        state -> rollbackFailed(step, job, epoch, watch, from, state));
  }

  private FlowOutcome rolledBack(Step step, String job, String epoch, RolloutWatchStatus watch, String from,
      JobState state) {
    RunnerReport report = state.report().orElse(null);
    if (report == null || !report.succeeded()) {
      return rollbackFailed(step, job, epoch, watch, from, state);
    }
    String now_ = now.toString();
    String current = step == Step.UNDO && report.current() != null ? report.current() : watch.getFrom();
    status.setCurrentRevision(current);
    RunStatus run = runStatus(step, job, from, watch.getFrom());
    Job j = jobs.get(job);
    run.setFinishedAt(now_);
    run.setOutcome("Succeeded");
    run.setMessage("Rolled back to revision " + current + " after a failed rollout");
    status.setLastRun(run);

    HistoryEntry entry = new HistoryEntry();
    entry.setAction(step == Step.UNDO ? "Undone" : "Restored");
    entry.setFrom(from);
    entry.setTo(current);
    entry.setRevisions(step == Step.UNDO && !report.revisionsOrEmpty().isEmpty() ? new ArrayList<>(report.revisionsOrEmpty()) : null);
    entry.setJob(job);
    entry.setAt(now_);
    entry.setReason(Messages.bounded(watch.getMessage()));
    addHistory(entry);

    watch.setState(RolloutGuard.ROLLED_BACK);
    watch.setHeldFor(epoch);
    deps.metrics().rollback(resource, watch.getStrategy());
    deps.metrics().changeFinished(resource, step.label(), true, jobDuration(j), 0);
    deps.events().warning(resource, "RolledBack", "Rolled the schema back from revision " + from + " to " + current
        + " (" + watch.getStrategy() + ") after a failed rollout: " + watch.getMessage());
    return FlowOutcome.PROCEED;
  }

  private FlowOutcome rollbackFailed(Step step, String job, String epoch, RolloutWatchStatus watch, String from,
      JobState state) {
    RunnerReport report = state.report().orElse(null);
    if (report != null && report.current() != null) {
      status.setCurrentRevision(report.current());
    }
    String what = report != null && report.message() != null ? report.message() : Objects.requireNonNullElse(state.message(), "");
    watch.setState(RolloutGuard.ROLLBACK_FAILED);
    watch.setHeldFor(epoch);
    deps.metrics().changeFinished(resource, step.label(), false, jobDuration(jobs.get(job)), 0);
    String message = "Rolling back from revision " + from + " to " + watch.getFrom() + " (" + watch.getStrategy()
        + ") after a failed rollout failed: " + what + (step == Step.RESTORE
            ? " The restore runs in one transaction, so the database is as it was before it." : "")
        + " The rollout failure: " + watch.getMessage();
    RunStatus run = runStatus(step, job, from, watch.getFrom());
    run.setFinishedAt(now.toString());
    run.setOutcome("Failed");
    run.setMessage(Messages.bounded(message));
    status.setLastRun(run);
    return recordFailure(step, job, epoch, "RollbackFailed", message, false);
  }

  // ---- steps and Jobs --------------------------------------------------------------------

  /**
   * Creates the Job when it does not exist yet (a conflict means a previous life of this operator
   * created it: fine), or reads its state and hands a finished one to onSuccess / onFailure.
   */
  private FlowOutcome runStep(Step step, String jobName, Supplier<Job> build,
      java.util.function.Function<JobState, FlowOutcome> onSuccess,
      java.util.function.Function<JobState, FlowOutcome> onFailure) {
    Job job = jobs.get(jobName);
    if (job == null) {
      if (resource.getSpec().isSuspended()) {
        return suspended();
      }
      Job desired = build.get();
      try {
        Job created = deps.client().batch().v1().jobs().inNamespace(namespace()).resource(desired).create();
        jobs.put(jobName, created);
        deps.jobCreated().accept(created);
        if (!quiet) {
          deps.events().normal(resource, startedReason(step), "Started " + step.label() + " Job " + jobName);
        }
        pruneFinishedJobs(step, jobName);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 422 || e.getCode() == 403) {
          // Refused by the API server (a quota, an admission webhook, an invalid field): say so, don't retry blindly.
          if (status.getLastRun() != null && jobName.equals(status.getLastRun().getJob())) {
            status.getLastRun().setOutcome("Failed");
          }
          RolloutWatchStatus watch = status.getRolloutWatch();
          if (watch != null && jobName.equals(watch.getRollbackJob())) {
            watch.setState(RolloutGuard.ROLLBACK_FAILED);
            watch.setHeldFor(epoch());
          }
          return recordFailure(step, jobName, epoch(), "JobRejected", "The API server refused the " + step.label()
              + " Job: " + e.getStatus().getMessage(), false);
        }
        if (e.getCode() != 409) {
          throw e;
        }
      }
      // The same words as while it runs: a status patch only for a changed message would be wasted.
      progressing(step, "Job " + jobName + " is running");
      return FlowOutcome.waitForEvents();
    }
    JobState state = state(job);
    switch (state.kind()) {
      case RUNNING:
        progressing(step, "Job " + jobName + " is running");
        return FlowOutcome.recheckAfter(RUNNING_RECHECK);
      case SUCCEEDED:
        return onSuccess.apply(state);
      case CANNOT_START:
        // Often temporary (a registry rate limit, a Secret an external operator creates a moment later): retried
        // with capped backoff, each time with a new Job, while the condition says what is wrong.
        FlowOutcome outcome = recordFailure(step, jobName, epoch(), state.reason(),
            "The " + step.label() + " Job cannot start: " + state.message(), true);
        cleanUpJobThatCannotStart(jobName);
        return outcome;
      case FAILED:
      default:
        return onFailure.apply(state);
    }
  }

  private static String startedReason(Step step) {
    switch (step) {
      case PLAN: return "PlanStarted";
      case BACKUP: return "BackupStarted";
      case MIGRATE: return "MigrationStarted";
      case UNDO: return "UndoStarted";
      default: return "RestoreStarted";
    }
  }

  /** A Job whose pod cannot start would retry pulling until its deadline; the failure is recorded, so stop it. */
  private void cleanUpJobThatCannotStart(String jobName) {
    Job job = jobName == null ? null : jobs.get(jobName);
    if (job == null || state(job).kind() != JobState.Kind.CANNOT_START) {
      return;
    }
    try {
      deps.client().batch().v1().jobs().inNamespace(namespace()).withName(jobName)
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Keeps the newest finished Jobs of a step for their logs; Kubernetes' TTL removes the rest later anyway. */
  private void pruneFinishedJobs(Step step, String keep) {
    List<Job> finished = jobs.values().stream()
        .filter(j -> j.getMetadata().getLabels() != null
            && step.label().equals(j.getMetadata().getLabels().get(JobFactory.LABEL_STEP)))
        .filter(j -> !j.getMetadata().getName().equals(keep))
        .filter(j -> state(j).finished())
        .filter(j -> !referencedByStatus(j.getMetadata().getName()))
        .sorted(Comparator.comparing((Job j) -> String.valueOf(j.getMetadata().getCreationTimestamp())).reversed())
        .toList();
    int kept = Math.max(0, deps.settings().finishedJobsKept() - 1);
    for (Job old : finished.subList(Math.min(kept, finished.size()), finished.size())) {
      try {
        deps.client().batch().v1().jobs().inNamespace(namespace()).withName(old.getMetadata().getName())
            .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private boolean referencedByStatus(String job) {
    return (status.getLastFailure() != null && job.equals(status.getLastFailure().getJob()))
        || (status.getLastRun() != null && job.equals(status.getLastRun().getJob()))
        || (status.getLastBackup() != null && job.equals(status.getLastBackup().getJob()))
        || (status.getLastPlan() != null && job.equals(status.getLastPlan().getJob()));
  }

  private static Duration jobDuration(Job job) {
    if (job == null || job.getStatus() == null || job.getStatus().getStartTime() == null) {
      return Duration.ZERO;
    }
    Instant start = Instant.parse(job.getStatus().getStartTime());
    String end = job.getStatus().getCompletionTime();
    if (end == null && job.getStatus().getConditions() != null) {
      end = job.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()))
          .map(c -> c.getLastTransitionTime()).filter(Objects::nonNull).findFirst().orElse(null);
    }
    Instant finish = end == null ? Instant.now() : Instant.parse(end);
    return finish.isBefore(start) ? Duration.ZERO : Duration.between(start, finish);
  }

  // ---- the state the resource shows ------------------------------------------------------

  /**
   * The flow the resource is in. It changes with a new generation, a new retry annotation value,
   * a new attempt after a transient failure, and a new change of revision (the newest history
   * entry); each change starts a new plan, and all Job names of a flow derive from it.
   */
  String epoch() {
    String retry = resource.getMetadata().getAnnotations() == null ? ""
        : resource.getMetadata().getAnnotations().getOrDefault(DatabaseSchema.RETRY_ANNOTATION, "");
    String lastChange = status.getHistory() == null || status.getHistory().isEmpty() ? "" : status.getHistory().get(0).getJob();
    // The retry value is hashed: it can be any text, and the epoch is stored in the status.
    return "g" + generation + "|r" + (retry.isEmpty() ? "" : JobNames.shortHash(retry)) + "|a" + attempt() + "|c" + lastChange;
  }

  private int attempt() {
    return status.getAttempt() == null ? 0 : status.getAttempt();
  }

  private Duration backoff() {
    int failures = Math.max(1, status.getTransientFailures() == null ? 1 : status.getTransientFailures());
    long seconds = FIRST_RETRY.getSeconds() << Math.min(failures - 1, 16);
    Duration d = Duration.ofSeconds(seconds);
    return d.compareTo(deps.settings().maxRetryBackoff()) > 0 ? deps.settings().maxRetryBackoff() : d;
  }

  private FlowOutcome recordFailure(Step step, String job, String epoch, String reason, String message,
      boolean transientCause) {
    FailureStatus failure = new FailureStatus();
    failure.setStep(step.label());
    failure.setJob(job);
    failure.setReason(reason);
    failure.setMessage(Messages.bounded(message + " " + FailureAdvice.whatToDo(reason)));
    failure.setAt(now.toString());
    failure.setTransientFailure(transientCause ? Boolean.TRUE : null);
    failure.setEpoch(epoch);
    status.setLastFailure(failure);
    if (transientCause) {
      status.setTransientFailures((status.getTransientFailures() == null ? 0 : status.getTransientFailures()) + 1);
    }
    deps.events().warning(resource, reason, failure.getMessage());
    showFailure(failure);
    return transientCause ? FlowOutcome.recheckAfter(backoff()) : FlowOutcome.waitForEvents();
  }

  private void showFailure(FailureStatus failure) {
    status.setPhase(Phase.Failed);
    Conditions.set(status, Conditions.READY, false, failure.getReason(), failure.getMessage(), generation, now);
    Conditions.set(status, Conditions.PROGRESSING, false, "Failed",
        Boolean.TRUE.equals(failure.getTransientFailure()) ? "Retrying with backoff after: " + failure.getReason()
            : "Stopped: waiting for a new generation or the db.tidemark.io/retry annotation", generation, now);
    Conditions.set(status, Conditions.DEGRADED, true, failure.getReason(), failure.getMessage(), generation, now);
  }

  /** Bad input or a conflict: nothing runs, the reason is shown, and an Event says so once. */
  private FlowOutcome refuse(Phase phase, String reason, String message, Duration recheck) {
    return refuse(phase, reason, message, recheck, true);
  }

  /** As above; {@code announce} false when the step that led here already wrote the Event. */
  private FlowOutcome refuse(Phase phase, String reason, String message, Duration recheck, boolean announce) {
    var before = Conditions.get(status, Conditions.DEGRADED).orElse(null);
    status.setPhase(phase);
    Conditions.set(status, Conditions.READY, false, reason, message, generation, now);
    Conditions.set(status, Conditions.PROGRESSING, false, reason, "Nothing runs until this is fixed.", generation, now);
    Conditions.set(status, Conditions.DEGRADED, true, reason, message, generation, now);
    if (announce && !Conditions.same(before, Conditions.get(status, Conditions.DEGRADED).orElse(null))) {
      deps.events().warning(resource, reason, message);
    }
    return recheck == null ? FlowOutcome.waitForEvents() : FlowOutcome.recheckAfter(recheck);
  }

  private FlowOutcome suspended() {
    status.setPhase(Phase.Suspended);
    Conditions.set(status, Conditions.READY, false, "Suspended",
        "spec.suspend is true: Tidemark starts no Job for this resource.", generation, now);
    Conditions.set(status, Conditions.PROGRESSING, false, "Suspended", "Suspended.", generation, now);
    if (Conditions.get(status, Conditions.DEGRADED).isEmpty()) {
      Conditions.set(status, Conditions.DEGRADED, false, "AsExpected", "No failure.", generation, now);
    }
    return FlowOutcome.waitForEvents();
  }

  private void progressing(Step step, String message) {
    if (quiet) {
      return;
    }
    Phase phase;
    String reason;
    switch (step) {
      case PLAN: phase = Phase.Planning; reason = "Planning"; break;
      case BACKUP: phase = Phase.BackingUp; reason = "BackingUp"; break;
      case MIGRATE: phase = Phase.Migrating; reason = "Migrating"; break;
      case UNDO: phase = Phase.Migrating; reason = "Undoing"; break;
      default: phase = Phase.RollingBack; reason = "Restoring"; break;
    }
    boolean rollingBack = status.getRolloutWatch() != null && "Failed".equals(status.getRolloutWatch().getState());
    status.setPhase(rollingBack && step != Step.PLAN ? Phase.RollingBack : phase);
    String target = status.getTargetRevision() == null ? resource.getSpec().getTargetRevision() : status.getTargetRevision();
    Conditions.set(status, Conditions.READY, false, reason,
        "Bringing the schema to revision " + target + " (" + message + ").", generation, now);
    Conditions.set(status, Conditions.PROGRESSING, true, reason, message, generation, now);
    if (status.getLastFailure() == null || !epoch().equals(status.getLastFailure().getEpoch())) {
      Conditions.set(status, Conditions.DEGRADED, false, "AsExpected", "No failure.", generation, now);
    }
  }

  private FlowOutcome ready() {
    Verdict verdict = deps.rollouts().judge(resource, status, now, deps.workloads());
    if (verdict.kind() == Verdict.Kind.FAILED) {
      deps.events().warning(resource, "RolloutFailed", verdict.message());
      // The decision is written to the status first; the rollback starts on the next reconcile, from that record,
      // so an operator that dies in between never runs an unrecorded (and maybe no longer wanted) rollback.
      status.setPhase(Phase.RollingBack);
      Conditions.set(status, Conditions.PROGRESSING, true, "RollingBack", verdict.message(), generation, now);
      return FlowOutcome.recheckAfter(Duration.ofMillis(200));
    }
    if (verdict.kind() == Verdict.Kind.VERIFIED) {
      deps.events().normal(resource, "RolloutVerified", verdict.message());
    }
    status.setPhase(Phase.Ready);
    status.setLastFailure(null);
    status.setTransientFailures(0);
    String message = "Schema at revision " + status.getCurrentRevision() + " (target " + status.getTargetRevision()
        + ", latest in image " + status.getLatestRevision() + ").";
    Conditions.set(status, Conditions.READY, true, "AtTargetRevision", message, generation, now);
    Conditions.set(status, Conditions.PROGRESSING, false, "Idle", "Nothing to do.", generation, now);
    Conditions.set(status, Conditions.DEGRADED, false, "AsExpected", "No failure.", generation, now);
    PlanStatus plan = status.getLastPlan();
    Instant next = Instant.parse(plan.getFinishedAt()).plus(deps.settings().replanInterval());
    Duration untilReplan = now.isBefore(next) ? Duration.between(now, next) : Duration.ofSeconds(1);
    Duration rollout = deps.rollouts().recheckAfter(status, now);
    return FlowOutcome.recheckAfter(rollout != null && rollout.compareTo(untilReplan) < 0 ? rollout : untilReplan);
  }

  private void addHistory(HistoryEntry entry) {
    List<HistoryEntry> history = status.getHistory() == null ? new ArrayList<>() : new ArrayList<>(status.getHistory());
    history.add(0, entry);
    while (history.size() > HISTORY_LIMIT) {
      history.remove(history.size() - 1);
    }
    status.setHistory(history);
  }

  private static String shortDigest(String digest) {
    if (digest == null) {
      return "unknown";
    }
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  private String name() {
    return resource.getMetadata().getName();
  }

  private String uid() {
    return resource.getMetadata().getUid();
  }

  private String namespace() {
    return resource.getMetadata().getNamespace();
  }
}
