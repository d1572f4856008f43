package io.tidemark.operator.reconcile;

/** What to tell a person about a failure: what happened is the runner's; what to do is ours. */
final class FailureAdvice {
  private static final String RETRY = "then update the spec or set the annotation db.tidemark.io/retry to a new value";

  private FailureAdvice() {}

  static String whatToDo(String reason) {
    if (reason == null) {
      return "Check the Job's logs, " + RETRY + ".";
    }
    switch (reason) {
      case "MigrationFailed":
        return "Fix the migration in a new image (or the data it trips on), " + RETRY + ".";
      case "ValidationFailed":
        return "An applied migration differs from the image (edited script or missing file): restore the original "
            + "script in the image, " + RETRY + ".";
      case "UnknownRevision":
      case "InvalidArgument":
        return "Set spec.targetRevision to a revision the image holds, or \"latest\".";
      case "UndoScriptMissing":
        return "Add the missing U<version>__*.sql scripts to the image, or choose another target.";
      case "BaselineRequired":
        return "Adopt the existing schema with the runner's baseline command (see docs/runner.md), or point spec.database at an empty database.";
      case "NoMigrations":
        return "The image has no V*.sql scripts at spec.migrations.path: check the image and the path.";
      case "ConnectionFailed":
        return "Tidemark retries with backoff; check that the database is up and reachable from the namespace.";
      case "AuthenticationFailed":
        return "Check the user name and password in the credentials Secret, " + RETRY + ".";
      case "DatabaseNotFound":
        return "Create the database or fix spec.database.name.";
      case "ImagePullFailed":
        return "Fix spec.migrations.image (or spec.backup.image) or the image pull secrets in spec.jobTemplate, " + RETRY + ".";
      case "CredentialsUnavailable":
        return "Create the credentials Secret with the keys spec.database.usernameKey and passwordKey name, " + RETRY + ".";
      case "BackupFailed":
        return "No migration ran. Check the backup Job's logs and the volume claim, " + RETRY + ".";
      case "RollbackFailed":
        return "The schema is still at the revision the rollout failed on. Fix the cause (see the message), then set the "
            + "annotation db.tidemark.io/retry to a new value to run the rollback again, or change the spec to decide "
            + "where the schema goes now.";
      case "NoWayBack":
        return "Add the undo scripts to the image, upgrade in smaller steps, or use rollback strategy Restore.";
      case "JobDeleted":
        return "Check the database (a plan shows where it is: set the db.tidemark.io/retry annotation), then go on.";
      case "JobRejected":
        return "Fix what the API server refused (a quota, an admission policy, a field), " + RETRY + ".";
      case "JobFailed":
        return "The Job ended without a report: read its logs (kubectl logs job/<name>), " + RETRY + ".";
      case "DeadlineExceeded":
        return "The Job ran longer than spec.jobTemplate.activeDeadlineSeconds; raise it if the step needs longer, "
            + RETRY + ".";
      default:
        return "Check the Job's logs, " + RETRY + ".";
    }
  }
}
