package io.tidemark.report;

/** The runner's exit codes; the operator reacts to each differently (docs/architecture.md). */
public enum ExitCode {
  OK(0),
  MIGRATION_FAILED(1),
  VALIDATION_FAILED(2),
  BAD_INPUT(3),
  CANNOT_CONNECT(4),
  INTERNAL(5),
  /** wait: the database did not reach the revision within --timeout. */
  TIMED_OUT(6),
  /** change: the backup before the change failed; nothing was changed. */
  BACKUP_FAILED(7);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
