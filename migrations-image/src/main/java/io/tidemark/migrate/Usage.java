package io.tidemark.migrate;

/** The --help text; docs/runner.md is the long form. */
final class Usage {
  static final String TEXT =
      """
      Usage: tidemark-migrate <command> [options]

      Commands:
        migrate [--target VERSION|latest] [--clear-failed VERSION]
                                            apply pending migrations up to the target (default latest);
                                            --clear-failed first runs the undo script of a revision that
                                            failed part-way outside a transaction and removes its failed
                                            row (plan takes it too, to plan the same)
        undo --target VERSION               run undo scripts (U<version>__*.sql) newest first down to
                                            VERSION; 0 is base
        info [--json]                       current revision, applied history, pending, latest
        validate                            checksum drift and applied revisions missing from the image
        baseline --version VERSION          adopt an existing database (tables, no history) at VERSION;
                                            the others refuse such a database until then
        plan [--target VERSION|latest] [--json] [--clear-failed VERSION]
                                            what migrate/undo to the target would do
        preview [--target VERSION|latest]   print the SQL that would run, up or down
        verify-roundtrip [--to VERSION]     migrate to latest, undo to VERSION (default 0), migrate
                                            again and compare the catalog (destructive; for CI)

      Options:
        --url JDBC_URL              jdbc:postgresql://host:port/db (default: PGHOST, PGPORT, PGDATABASE,
                                    PGUSER, PGPASSWORD, PGSSLMODE from the environment)
        --user NAME, --password PW  with --url (the password is better given as PGPASSWORD)
        --location DIR              the migration scripts (default /migrations)
        --schema NAME               schema of flyway_schema_history and default schema (default public)
        --report FILE               write the outcome as compact JSON (<= 4096 bytes)
        --lock-timeout DURATION     PostgreSQL lock_timeout, e.g. 10s, 500ms, 1min, 0
        --statement-timeout DURATION
                                    PostgreSQL statement_timeout, same format
        --connect-retries N         retries of the first connection, with backoff (default 5)
        --help                      this text

      Exit codes: 0 ok, 1 migration or undo failed, 2 validation failed (drift, round trip),
      3 bad input (usage, unknown revision, missing undo script, no migrations, a non-empty schema
      without history), 4 cannot connect, 5 internal error.""";

  private Usage() {}
}
