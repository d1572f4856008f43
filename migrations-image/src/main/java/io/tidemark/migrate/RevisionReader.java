package io.tidemark.migrate;

import java.util.Optional;

/**
 * Reads the revision the database is at after a failure, on a fresh connection: the one the change
 * ran on may be gone (PostgreSQL restarted, the connection was killed). Waits for the server as the
 * first connection does ({@code --connect-retries}); when it still cannot read, says so instead of
 * guessing.
 */
final class RevisionReader {
  private final FlywayFactory flywayFactory;
  private final PostgresConnector connector;
  private final Console console;

  RevisionReader(FlywayFactory flywayFactory, PostgresConnector connector, Console console) {
    this.flywayFactory = flywayFactory;
    this.connector = connector;
    this.console = console;
  }

  /** The current revision's label ("0" for base), or empty when it cannot be read. */
  Optional<String> afterFailure() {
    try {
      connector.checkReachable();
      return Optional.of(Revisions.label(HistoryState.read(flywayFactory.create()).current()));
    } catch (RuntimeException e) {
      console.progress(
          "cannot read the revision the database is at after the failure: "
              + PostgresConnector.firstLine(e.getMessage()));
      return Optional.empty();
    }
  }
}
