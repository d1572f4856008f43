package io.tidemark.migrate;

import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Prints which revision starts and how long each took, and remembers which revisions were applied
 * and which one failed, for the report.
 */
final class ProgressCallback implements Callback {
  private final Console console;
  private final List<String> applied = new ArrayList<>();
  private String failed;
  private long startedAt;

  ProgressCallback(Console console) {
    this.console = console;
  }

  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.BEFORE_EACH_MIGRATE
        || event == Event.AFTER_EACH_MIGRATE
        || event == Event.AFTER_EACH_MIGRATE_ERROR;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true; // only prints; never touches the database
  }

  @Override
  public void handle(Event event, Context context) {
    MigrationInfo info = context.getMigrationInfo();
    if (info == null || info.getVersion() == null) {
      return;
    }
    String revision = Revisions.label(info.getVersion());
    if (event == Event.BEFORE_EACH_MIGRATE) {
      startedAt = System.nanoTime();
      console.progress(
          "migrating to "
              + revision
              + " ("
              + info.getDescription()
              + ", "
              + info.getScript()
              + ")");
    } else if (event == Event.AFTER_EACH_MIGRATE) {
      applied.add(revision);
      console.progress(revision + " applied in " + Durations.since(startedAt));
    } else {
      failed = revision;
      console.progress(revision + " failed after " + Durations.since(startedAt));
    }
  }

  @Override
  public String getCallbackName() {
    return "tidemark-progress";
  }

  List<String> applied() {
    return applied;
  }

  String failed() {
    return failed;
  }
}
