package io.tidemark.operator.jobs;

/**
 * The shell script backup Jobs run in the backup image (any image with a POSIX sh, pg_dump and
 * pg_restore). Every input comes from environment variables and is only ever expanded inside double
 * quotes, never spliced into the script's text, so no value from the spec can inject a command.
 *
 * <p>The order is what keeps a backup from being lost:
 *
 * <ol>
 *   <li>Partial files of this resource's earlier backups that were stopped (a pod killed before its
 *       clean-up ran) are removed; only Tidemark's own hidden names, never a person's file.
 *   <li>pg_dump writes to a hidden partial file (a crash never leaves a file that looks like a
 *       backup); a full or unwritable volume fails here, with nothing pruned and nothing run.
 *   <li>The partial file is verified: not empty, readable by {@code pg_restore --list}, and a dump
 *       of {@code PGDATABASE}. Only then is it renamed to its final name and flushed.
 *   <li>Pruning considers only files of Tidemark's exact name pattern for this resource ({@link
 *       BackupFiles#PATTERN_DESCRIPTION}), never the file just written nor {@code BACKUP_PROTECT}
 *       (the dump a restore is about to use), and keeps the newest by the timestamp in the name.
 *       Files a person put in the claim are never touched, whatever their name.
 *   <li>The report goes to the termination log last. On failure nothing is written there, so the
 *       pod's FallbackToLogsOnError policy carries the error message.
 * </ol>
 */
public final class BackupScript {
  private BackupScript() {}

  public static final String SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "umask 077",
          "final=\"$BACKUP_DIR/$BACKUP_FILE\"",
          "tmp=\"$BACKUP_DIR/.$BACKUP_FILE.partial\"",
          "list=\"$BACKUP_DIR/.$BACKUP_FILE.list\"",
          "trap 'rm -f \"$tmp\" \"$list\"' EXIT",
          "fail() { echo \"tidemark: $*; no backup was kept and nothing was changed\" >&2; exit 1; }",
          "[ -d \"$BACKUP_DIR\" ] || fail \"the backup volume is not mounted at $BACKUP_DIR\"",
          // A backup stopped before its trap ran (the pod killed) left its hidden partial file:
          // remove those of this
          // resource, by Tidemark's exact hidden names only.
          "for stale in \"$BACKUP_DIR\"/.\"$BACKUP_PREFIX\"[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z_r*.dump.partial"
              + " \"$BACKUP_DIR\"/.\"$BACKUP_PREFIX\"[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z_r*.dump.list; do",
          "  [ -f \"$stale\" ] || continue",
          "  echo \"tidemark: removing ${stale##*/}, left by a backup that was stopped\" >&2",
          "  rm -f -- \"$stale\"",
          "done",
          "start=$(date +%s)",
          "echo \"tidemark: pg_dump of database $PGDATABASE to $BACKUP_FILE\" >&2",
          "pg_dump --format=custom --no-password --file=\"$tmp\""
              + " || fail \"pg_dump failed (see above; a full or read-only volume ends here too)\"",
          "[ -s \"$tmp\" ] || fail \"pg_dump wrote an empty file\"",
          "pg_restore --list \"$tmp\" > \"$list\" || fail \"the new dump cannot be read back by pg_restore --list\"",
          "dumped=$(sed -n 's/^;[[:space:]]*dbname:[[:space:]]*//p' \"$list\" | head -n 1)",
          "[ \"$dumped\" = \"$PGDATABASE\" ] || fail \"the new dump is of database '$dumped', not '$PGDATABASE'\"",
          "entries=$(grep -c '^[0-9][0-9]*;' \"$list\" || true)",
          "size=$(wc -c < \"$tmp\" | tr -d ' ')",
          "mv \"$tmp\" \"$final\" || fail \"cannot move the new dump to $BACKUP_FILE\"",
          "sync \"$final\" 2>/dev/null || sync",
          "trap 'rm -f \"$list\"' EXIT",
          // Pruning: only <prefix><yyyyMMdd>T<HHmmss>Z_r<revision>.dump, revision of [0-9A-Za-z.]
          // only.
          "keep=$BACKUP_KEEP",
          "[ \"$keep\" -ge 1 ] 2>/dev/null || keep=1",
          "ls -1A \"$BACKUP_DIR\" | while IFS= read -r f; do",
          "  [ \"$f\" = \"$BACKUP_FILE\" ] && continue",
          "  [ -n \"$BACKUP_PROTECT\" ] && [ \"$f\" = \"$BACKUP_PROTECT\" ] && continue",
          "  case \"$f\" in",
          "    \"$BACKUP_PREFIX\"[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z_r?*.dump) ;;",
          "    *) continue;;",
          "  esac",
          "  rest=${f#\"$BACKUP_PREFIX\"}",
          "  stamp=${rest%%_r*}",
          "  rev=${rest#*_r}",
          "  rev=${rev%.dump}",
          "  case \"$rev\" in *[!0-9A-Za-z.]*) continue;; esac",
          "  [ -f \"$BACKUP_DIR/$f\" ] || continue",
          "  printf '%s %s\\n' \"$stamp\" \"$f\"",
          "done | sort -r | tail -n +\"$keep\" | while IFS=' ' read -r stamp old; do",
          "  echo \"tidemark: removing old backup $old\" >&2",
          "  rm -f -- \"$BACKUP_DIR/$old\"",
          "done",
          "end=$(date +%s)",
          "printf '{\"v\":1,\"command\":\"backup\",\"ok\":true,\"exit\":0,\"file\":\"%s\",\"sizeBytes\":%s,"
              + "\"entries\":%s,\"verified\":true,\"ms\":%s}' "
              + "\"$BACKUP_FILE\" \"$size\" \"$entries\" \"$(( (end - start) * 1000 ))\" > \"$TERMINATION_LOG\"",
          "echo \"tidemark: backup $BACKUP_FILE done and verified, $size bytes, $entries entries\" >&2",
          "");
}
