package io.tidemark.report;

/** Why a command failed, as written to the report's {@code reason}; each maps to one exit code. */
public enum Reason {
  MigrationFailed(ExitCode.MIGRATION_FAILED),
  /**
   * A revision outside a transaction failed part-way and left something behind; --clear-failed
   * clears it.
   */
  RevisionFailedPartway(ExitCode.MIGRATION_FAILED),
  /**
   * plan --rehearse: a revision failed on the schema-only copy; nothing ran on the real database.
   */
  RehearsalFailed(ExitCode.MIGRATION_FAILED),
  ValidationFailed(ExitCode.VALIDATION_FAILED),
  RoundTripMismatch(ExitCode.VALIDATION_FAILED),
  UnknownRevision(ExitCode.BAD_INPUT),
  InvalidArgument(ExitCode.BAD_INPUT),
  UndoScriptMissing(ExitCode.BAD_INPUT),
  NoMigrations(ExitCode.BAD_INPUT),
  BaselineRequired(ExitCode.BAD_INPUT),
  ConnectionFailed(ExitCode.CANNOT_CONNECT),
  /** Another session holds the migration lock (a migrate or undo, or a session left behind). */
  MigrationLockHeld(ExitCode.CANNOT_CONNECT),
  AuthenticationFailed(ExitCode.CANNOT_CONNECT),
  DatabaseNotFound(ExitCode.CANNOT_CONNECT),
  /**
   * A TLS file named by PGSSLROOTCERT, PGSSLCERT or PGSSLKEY is not there (the Secret or ConfigMap
   * behind it is missing or lacks the key), or the key is in a form the runner cannot read.
   */
  TlsFileMissing(ExitCode.CANNOT_CONNECT),
  /**
   * TLS could not be set up or the server failed verification: its certificate is not signed by the
   * CA, does not name the host (verify-full), or the server offers no TLS at all.
   */
  TlsVerificationFailed(ExitCode.CANNOT_CONNECT),
  /**
   * change: the target is below the current revision and --allow-downgrade was not given; nothing
   * ran.
   */
  DowngradeNotAllowed(ExitCode.BAD_INPUT),
  /**
   * change --require-undo: a revision to apply has no undo script, so a rollback by undo would be
   * impossible; nothing ran.
   */
  NoWayBack(ExitCode.BAD_INPUT),
  /**
   * change --expect-digest/--expect-from: the plan is not the one approved (other scripts, or the
   * database moved); nothing ran.
   */
  PlanChanged(ExitCode.BAD_INPUT),
  /**
   * change --backup-dir: the backup could not be taken or verified (pg_dump failed, the volume is
   * full or not mounted, the client is older than the server); no migration ran.
   */
  BackupFailed(ExitCode.BACKUP_FAILED),
  Internal(ExitCode.INTERNAL),
  /** wait: the database was not at the revision when --timeout ran out. */
  WaitTimedOut(ExitCode.TIMED_OUT);

  private final ExitCode exitCode;

  Reason(ExitCode exitCode) {
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
