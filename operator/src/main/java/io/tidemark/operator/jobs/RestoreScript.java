package io.tidemark.operator.jobs;

/**
 * The shell script restore Jobs run in the backup image (sh, pg_restore and psql). Like the backup
 * script, it takes every input from environment variables, expanded only inside double quotes.
 *
 * <p>Atomic: the managed schemas (RESTORE_SCHEMAS, separated by spaces) are dropped and rebuilt
 * from the dump together in one psql transaction with ON_ERROR_STOP, so tables a bad migration
 * created in any of them do not survive, and a restore that fails half way leaves the database
 * exactly as it was. RESTORE_SCHEMAS comes from spec.schemas, whose names the CRD and the operator
 * restrict to lower-case identifiers. The SQL is written to the claim first rather than piped,
 * because a POSIX shell pipe would let psql commit a truncated script if pg_restore failed mid-way.
 */
public final class RestoreScript {
  private RestoreScript() {}

  public static final String SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "umask 077",
          "dump=\"$BACKUP_DIR/$BACKUP_FILE\"",
          "sql=\"$BACKUP_DIR/.restore-$BACKUP_FILE.sql\"",
          "list=\"$BACKUP_DIR/.restore-$BACKUP_FILE.list\"",
          "toc=\"$BACKUP_DIR/.restore-$BACKUP_FILE.toc\"",
          "trap 'rm -f \"$sql\" \"$list\" \"$toc\"' EXIT",
          "if [ ! -f \"$dump\" ]; then",
          "  echo \"tidemark: backup $BACKUP_FILE is not in the volume claim; nothing was changed\" >&2",
          "  exit 1",
          "fi",
          "if ! pg_restore --list \"$dump\" > \"$toc\"; then",
          "  echo \"tidemark: backup $BACKUP_FILE cannot be read by pg_restore; nothing was changed\" >&2",
          "  exit 1",
          "fi",
          // A dump of another database (a file copied in by hand, a claim shared by mistake) is
          // refused.
          "dumped=$(sed -n 's/^;[[:space:]]*dbname:[[:space:]]*//p' \"$toc\" | head -n 1)",
          "if [ \"$dumped\" != \"$PGDATABASE\" ]; then",
          "  echo \"tidemark: backup $BACKUP_FILE is a dump of database '$dumped', not '$PGDATABASE'; nothing was changed\" >&2",
          "  exit 1",
          "fi",
          "start=$(date +%s)",
          "echo \"tidemark: restoring schemas $RESTORE_SCHEMAS of $PGDATABASE from $BACKUP_FILE in one transaction\" >&2",
          // Per managed schema: its objects, its own ACL and comment, and in one transaction
          // first drop it (with what depends on it) and create it empty. Schema names are
          // identifiers ([a-z_][a-z0-9_]*, checked by the CRD and the operator): safe unquoted in
          // the loop and in the pattern. The extensions come along: dropping a schema drops the
          // extensions installed in it.
          "pattern='EXTENSION - |COMMENT - EXTENSION '",
          "set --",
          "for schema in $RESTORE_SCHEMAS; do",
          "  pattern=\"$pattern|[A-Z][A-Z ]* $schema \"",
          "  set -- \"$@\" --command=\"DROP SCHEMA IF EXISTS \\\"$schema\\\" CASCADE\"",
          "  set -- \"$@\" --command=\"CREATE SCHEMA \\\"$schema\\\"\"",
          // public is usable by everyone, as PostgreSQL makes it; another schema gets the
          // privileges and comment it was dumped with.
          "  if [ \"$schema\" = public ]; then",
          "    set -- \"$@\" --command=\"GRANT USAGE ON SCHEMA public TO PUBLIC\"",
          "  else",
          "    pattern=\"$pattern|(ACL|COMMENT) - SCHEMA $schema \"",
          "  fi",
          "done",
          "[ \"$#\" -gt 0 ] || { echo \"tidemark: no schema to restore; nothing was changed\" >&2; exit 1; }",
          "grep -E \"^[0-9]+; [0-9]+ [0-9]+ ($pattern)\" \"$toc\" > \"$list\" || true",
          "pg_restore --use-list=\"$list\" --no-owner --file=\"$sql\" \"$dump\"",
          "psql --no-psqlrc --quiet --no-password --set=ON_ERROR_STOP=1 --single-transaction"
              // Waiting for the application's locks is bounded, like a migration's.
              + " --command=\"SET LOCAL lock_timeout = '$RESTORE_LOCK_TIMEOUT'\""
              + " \"$@\""
              + " --file=\"$sql\" > /dev/null",
          "end=$(date +%s)",
          "printf '{\"v\":1,\"command\":\"restore\",\"ok\":true,\"exit\":0,\"file\":\"%s\",\"ms\":%s}' "
              + "\"$BACKUP_FILE\" \"$(( (end - start) * 1000 ))\" > \"$TERMINATION_LOG\"",
          "echo \"tidemark: restored $RESTORE_SCHEMAS from $BACKUP_FILE\" >&2",
          "");
}
