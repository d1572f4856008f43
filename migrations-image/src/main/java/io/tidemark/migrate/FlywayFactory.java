package io.tidemark.migrate;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/** Flyway configured for production use, the same way for every command. */
public final class FlywayFactory {
  private final PostgresConnector connector;
  private final MigrationScripts scripts;
  private final SessionSettings session;

  /** The managed schemas; the first holds the history table and is the default schema. */
  private final java.util.List<String> schemas;

  /** The revision a schema without history is adopted at by migrate; null: never baseline. */
  private final MigrationVersion adoptAt;

  public FlywayFactory(
      PostgresConnector connector,
      MigrationScripts scripts,
      SessionSettings session,
      java.util.List<String> schemas) {
    this(connector, scripts, session, schemas, null);
  }

  private FlywayFactory(
      PostgresConnector connector,
      MigrationScripts scripts,
      SessionSettings session,
      java.util.List<String> schemas,
      MigrationVersion adoptAt) {
    this.connector = connector;
    this.scripts = scripts;
    this.session = session;
    this.schemas = java.util.List.copyOf(schemas);
    this.adoptAt = adoptAt;
  }

  /**
   * The same, except that a migrate on a schema with objects and no history table baselines it at
   * {@code version} first (Flyway's baselineOnMigrate: only while there is no history table, under
   * Flyway's lock).
   */
  public FlywayFactory adoptingAt(MigrationVersion version) {
    return new FlywayFactory(connector, scripts, session, schemas, version);
  }

  public Flyway create() {
    return configure().load();
  }

  public Flyway create(MigrationVersion target, Callback... callbacks) {
    Callback[] all = java.util.Arrays.copyOf(callbacks, callbacks.length + 1);
    all[callbacks.length] = new SessionSettingsCallback(session);
    return configure().target(target).callbacks(all).load();
  }

  public Flyway forBaseline(MigrationVersion baselineVersion) {
    return configure()
        .baselineVersion(baselineVersion)
        .baselineDescription(BASELINE_DESCRIPTION)
        .load();
  }

  private static final String BASELINE_DESCRIPTION = "tidemark baseline";

  /** How long a migrate waits for the migration lock, in seconds; -1 without end. */
  public int lockWaitSeconds() {
    return session.lockRetries();
  }

  private FluentConfiguration configure() {
    FluentConfiguration config =
        Flyway.configure()
            .dataSource(connector.dataSource())
            .locations("filesystem:" + scripts.location().toAbsolutePath())
            .schemas(schemas.toArray(String[]::new))
            .table(CliOptions.HISTORY_TABLE)
            // A production database is never wiped by a mistyped command.
            .cleanDisabled(true)
            // Each migration in its own transaction: a failure leaves the last good revision.
            .group(false)
            .mixed(false)
            .outOfOrder(false)
            .validateOnMigrate(true)
            // U scripts share the folder; they must not make Flyway fail on naming.
            .validateMigrationNaming(false)
            // Applied versions missing from the image (older image) are drift, not "future".
            .ignoreMigrationPatterns("*:pending")
            // U scripts run without placeholder replacement, so V scripts do too: ${...} in SQL
            // means the same in both directions.
            .placeholderReplacement(false)
            .baselineOnMigrate(adoptAt != null)
            // The runner retries the first connection itself, with its own backoff and reasons.
            .connectRetries(0)
            .initSql(session.initSql());
    // Flyway's transactional advisory lock keeps a transaction open for the whole run, and
    // CREATE INDEX CONCURRENTLY waits for every open transaction: it would wait forever.
    config
        .getConfigurationExtension(PostgreSQLConfigurationExtension.class)
        .setTransactionalLock(false);
    // Waiting for the migration lock another session holds is a lock wait like any other:
    // bounded by lock_timeout, not by a Flyway setting Tidemark does not expose.
    config.lockRetryCount(session.lockRetries());
    if (adoptAt != null) {
      config.baselineVersion(adoptAt).baselineDescription(BASELINE_DESCRIPTION);
    }
    return config;
  }
}
