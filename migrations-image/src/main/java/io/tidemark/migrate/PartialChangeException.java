package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.util.List;

/**
 * A migrate or undo that failed: carries the revisions it applied or undid (committed) before the
 * failure, which the report lists; none when it failed before its first (the migration lock not
 * taken, the first revision failing).
 */
final class PartialChangeException extends RunnerException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> done;

  PartialChangeException(
      Reason reason,
      String message,
      String failed,
      String current,
      Throwable cause,
      List<String> done) {
    super(reason, message, failed, current, cause);
    this.done = done;
  }

  /** The revisions applied (migrate) or undone (undo) before the failure, in order. */
  List<String> done() {
    return done;
  }
}
