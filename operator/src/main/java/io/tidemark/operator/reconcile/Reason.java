package io.tidemark.operator.reconcile;

import java.util.Optional;

/**
 * Every reason Tidemark writes into a condition, an Event or {@code status.lastFailure.reason}, as
 * the CamelCase word users and alerts match on, with the advice a failure's message ends with: what
 * happened is the runner's to say, what to do is ours.
 */
enum Reason {
  // ---- failures reported by the runner (docs/runner-report.md) ----
  MIGRATION_FAILED(
      "MigrationFailed",
      "Fix the migration in a new image (or the data it trips on), " + Advice.RETRY + "."),
  REVISION_FAILED_PARTWAY(
      "RevisionFailedPartway",
      "Make sure the revision's undo script removes what it may have left "
          + "(e.g. DROP INDEX CONCURRENTLY IF EXISTS), then update the spec or set the annotation db.tidemark.io/retry to a "
          + "new value: Tidemark then runs the undo script, removes the failed row and migrates again."),
  VALIDATION_FAILED(
      "ValidationFailed",
      "An applied migration differs from the image (edited script or missing file): "
          + "restore the original script in the image, "
          + Advice.RETRY
          + "."),
  ROUND_TRIP_MISMATCH("RoundTripMismatch", Advice.LOGS),
  REHEARSAL_FAILED(
      "RehearsalFailed",
      "A revision failed on the schema-only copy; nothing ran on the database. Fix it in a new image, "
          + Advice.RETRY
          + "."),
  UNKNOWN_REVISION(
      "UnknownRevision", "Set spec.targetRevision to a revision the image holds, or \"latest\"."),
  INVALID_ARGUMENT(
      "InvalidArgument", "Set spec.targetRevision to a revision the image holds, or \"latest\"."),
  UNDO_SCRIPT_MISSING(
      "UndoScriptMissing",
      "Add the missing U<version>__*.sql scripts to the image, or choose another target."),
  NO_MIGRATIONS(
      "NoMigrations",
      "The image has no V*.sql scripts at spec.migrations.path: check the image and the path."),
  BASELINE_REQUIRED(
      "BaselineRequired",
      "Set spec.baseline.revision to the revision the existing schema matches (docs/safety.md), "
          + "or point spec.database at an empty database."),
  CONNECTION_FAILED(
      "ConnectionFailed",
      "Tidemark retries with backoff; check that the database is up and reachable from "
          + "the namespace."),
  MIGRATION_LOCK_HELD(
      "MigrationLockHeld",
      "Tidemark retries with backoff; if it does not clear, end the session that "
          + "holds the lock (the message says how to find it)."),
  AUTHENTICATION_FAILED(
      "AuthenticationFailed",
      "Check the user name and password in the credentials Secret, " + Advice.RETRY + "."),
  DATABASE_NOT_FOUND("DatabaseNotFound", "Create the database or fix spec.database.name."),
  TLS_FILE_MISSING(
      "TlsFileMissing",
      "Create the Secret or ConfigMap named in spec.database.tls (or the cluster's <name>-ca "
          + "Secret) with the key it names; Tidemark retries with backoff."),
  TLS_VERIFICATION_FAILED(
      "TlsVerificationFailed",
      "Give the CA that issued the server's certificate in spec.database.tls.ca, connect by a host "
          + "name the certificate carries (or use sslMode verify-ca), or turn TLS on at the "
          + "server; then "
          + Advice.RETRY
          + "."),
  INTERNAL("Internal", Advice.LOGS),
  /** The runner's wait command (an application's init container); no Job of Tidemark runs it. */
  WAIT_TIMED_OUT(
      "WaitTimedOut",
      "The application's init container gave up waiting for its revision: check that the "
          + "DatabaseSchema that migrates the database is Ready at that revision."),

  PLAN_CHANGED(
      "PlanChanged",
      "The scripts or the database changed after the plan was approved: approve the new plan"
          + " (status.approval.digest), "
          + Advice.RETRY
          + "."),

  // ---- failures Tidemark finds itself ----
  IMAGE_PULL_FAILED(
      "ImagePullFailed",
      "Fix spec.migrations.image (or spec.backup.image) or the image pull secrets in "
          + "spec.jobTemplate, "
          + Advice.RETRY
          + "."),
  CREDENTIALS_UNAVAILABLE(
      "CredentialsUnavailable",
      "Create the credentials Secret with the keys spec.database.usernameKey "
          + "and passwordKey name, "
          + Advice.RETRY
          + "."),
  BACKUP_FAILED(
      "BackupFailed",
      "No migration ran. Check the backup Job's logs and the volume claim, " + Advice.RETRY + "."),
  ROLLBACK_FAILED(
      "RollbackFailed",
      "The schema is still at the revision the rollout failed on. Fix the cause (see the "
          + "message), then set the annotation db.tidemark.io/retry to a new value to run the rollback again, or change the "
          + "spec to decide where the schema goes now."),
  NO_WAY_BACK(
      "NoWayBack",
      "Add the undo scripts to the image, upgrade in smaller steps, or use rollback strategy Restore."),
  JOB_DELETED(
      "JobDeleted",
      "Check the database (a plan shows where it is: set the db.tidemark.io/retry annotation), "
          + "then go on."),
  JOB_REJECTED(
      "JobRejected",
      "Fix what the API server refused (a quota, an admission policy, a field), "
          + Advice.RETRY
          + "."),
  JOB_FAILED(
      "JobFailed",
      "The Job ended without a report: read its logs (kubectl logs job/<name>), "
          + Advice.RETRY
          + "."),
  DEADLINE_EXCEEDED(
      "DeadlineExceeded",
      "The Job ran longer than spec.jobTemplate.activeDeadlineSeconds; raise it if the "
          + "step needs longer, "
          + Advice.RETRY
          + "."),

  // ---- refusals: nothing runs ----
  INVALID_SPEC("InvalidSpec"),
  DATABASE_CLAIMED("DatabaseClaimed"),
  ROLLED_BACK("RolledBack"),
  DOWNGRADE_NOT_ALLOWED("DowngradeNotAllowed"),
  AWAITING_APPROVAL("AwaitingApproval"),
  APPROVAL_MISMATCH("ApprovalMismatch"),
  SUSPENDED("Suspended"),

  // ---- drift ----
  NO_DRIFT("NoDrift"),
  SCHEMA_CHANGED_OUTSIDE("SchemaChangedOutside"),
  CHECKSUM_MISMATCH("ChecksumMismatch"),
  SCHEMA_DRIFT("SchemaDrift"),

  // ---- progress ----
  PLANNING("Planning"),
  BACKING_UP("BackingUp"),
  MIGRATING("Migrating"),
  UNDOING("Undoing"),
  RESTORING("Restoring"),
  ROLLING_BACK("RollingBack"),
  FAILED("Failed"),
  IDLE("Idle"),
  AT_TARGET_REVISION("AtTargetRevision"),
  AS_EXPECTED("AsExpected"),

  // ---- Events of steps and rollouts ----
  PLANNED("Planned"),
  BACKUP_COMPLETED("BackupCompleted"),
  MIGRATED("Migrated"),
  UNDONE("Undone"),
  BASELINED("Baselined"),
  APPROVED("Approved"),
  ROLLOUT_FAILED("RolloutFailed"),
  ROLLOUT_VERIFIED("RolloutVerified");

  private final String value;
  private final String advice;

  Reason(String value) {
    this(value, Advice.LOGS);
  }

  Reason(String value, String advice) {
    this.value = value;
    this.advice = advice;
  }

  /** The word in conditions, Events and the status. */
  String value() {
    return value;
  }

  /** What a person should do about a failure of this reason. */
  String advice() {
    return advice;
  }

  @Override
  public String toString() {
    return value;
  }

  static Optional<Reason> of(String value) {
    for (Reason r : values()) {
      if (r.value.equals(value)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private static final class Advice {
    static final String RETRY =
        "then update the spec or set the annotation db.tidemark.io/retry to a new value";
    static final String LOGS = "Check the Job's logs, " + RETRY + ".";
  }
}
