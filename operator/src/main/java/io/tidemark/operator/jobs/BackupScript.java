package io.tidemark.operator.jobs;

/**
 * The shell script backup Jobs run in the backup image (any image with a POSIX sh and pg_dump).
 * Every input comes from environment variables and is only ever expanded inside double quotes,
 * never spliced into the script's text, so no value from the spec can inject a command.
 */
public final class BackupScript {
  private BackupScript() {}

  /**
   * Dumps to a hidden partial file and renames it when complete (a crash never leaves a file that
   * looks like a backup), prunes this resource's oldest dumps beyond BACKUP_KEEP, and writes a
   * report to the termination log. On failure it writes nothing there, so that the pod's
   * FallbackToLogsOnError policy carries pg_dump's own error message.
   */
  public static final String SCRIPT = String.join("\n",
      "set -eu",
      "umask 077",
      "tmp=\"$BACKUP_DIR/.$BACKUP_FILE.partial\"",
      "trap 'rm -f \"$tmp\"' EXIT",
      "start=$(date +%s)",
      "echo \"tidemark: pg_dump of database $PGDATABASE to $BACKUP_FILE\" >&2",
      "pg_dump --format=custom --no-password --file=\"$tmp\"",
      "mv \"$tmp\" \"$BACKUP_DIR/$BACKUP_FILE\"",
      "trap - EXIT",
      "size=$(wc -c < \"$BACKUP_DIR/$BACKUP_FILE\" | tr -d ' ')",
      "ls -1 \"$BACKUP_DIR\" | while IFS= read -r f; do",
      "  [ \"$f\" = \"$BACKUP_PROTECT\" ] && continue",
      "  case \"$f\" in \"$BACKUP_PREFIX\"*.dump) echo \"$f\";; esac",
      "done | sort -r | tail -n +$((BACKUP_KEEP + 1)) | while IFS= read -r old; do",
      "  echo \"tidemark: removing old backup $old\" >&2",
      "  rm -f -- \"$BACKUP_DIR/$old\"",
      "done",
      "end=$(date +%s)",
      "printf '{\"v\":1,\"command\":\"backup\",\"ok\":true,\"exit\":0,\"file\":\"%s\",\"sizeBytes\":%s,\"ms\":%s}' "
          + "\"$BACKUP_FILE\" \"$size\" \"$(( (end - start) * 1000 ))\" > \"$TERMINATION_LOG\"",
      "echo \"tidemark: backup $BACKUP_FILE done, $size bytes\" >&2",
      "");
}
