package io.tidemark.migrate;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.flywaydb.core.api.logging.LogFactory;

/**
 * Routes Flyway's log to the runner's console: warnings and errors only, redacted. Flyway's info
 * lines (one or more per command and per migration) would otherwise flood a Job's log; the runner
 * prints its own progress instead.
 */
final class FlywayLogBridge implements LogCreator {
  private static final FlywayLogBridge INSTANCE = new FlywayLogBridge();
  private static volatile Console sink;

  private FlywayLogBridge() {}

  /** Sends Flyway's warnings to this console until the next call. */
  static void install(Console console) {
    sink = console;
    LogFactory.setLogCreator(INSTANCE);
    LogFactory.setFallbackLogCreator(INSTANCE);
  }

  @Override
  public Log createLogger(Class<?> clazz) {
    return new Log() {
      @Override
      @SuppressWarnings("deprecation") // still consulted by Flyway; false spares building messages
      public boolean isDebugEnabled() {
        return false;
      }

      @Override
      public void debug(String message) {}

      @Override
      public void info(String message) {}

      @Override
      public void notice(String message) {}

      @Override
      public void warn(String message) {
        write("flyway warning: " + message);
      }

      @Override
      public void error(String message) {
        write("flyway error: " + message);
      }

      @Override
      public void error(String message, Exception e) {
        write("flyway error: " + message + (e == null ? "" : ": " + e.getMessage()));
      }
    };
  }

  private static void write(String message) {
    Console console = sink;
    if (console != null) {
      console.err(message);
    }
  }
}
