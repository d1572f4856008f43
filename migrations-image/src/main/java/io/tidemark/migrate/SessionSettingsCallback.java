package io.tidemark.migrate;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Sets lock_timeout and statement_timeout again before every migration, on the connection it runs
 * on. Flyway's initSql sets them once per connection, so a script with {@code RESET ALL} or its own
 * {@code SET lock_timeout = 0} would otherwise lift the limits for every later script.
 */
final class SessionSettingsCallback implements Callback {
  private final SessionSettings session;

  SessionSettingsCallback(SessionSettings session) {
    this.session = session;
  }

  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.BEFORE_EACH_MIGRATE && session.initSql() != null;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true; // SET inside the migration's transaction lasts for the session once it commits
  }

  @Override
  public void handle(Event event, Context context) {
    try (Statement statement = context.getConnection().createStatement()) {
      statement.execute(session.initSql());
    } catch (SQLException e) {
      throw new FlywayException("cannot set " + session.initSql() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String getCallbackName() {
    return "tidemark-session-settings";
  }
}
