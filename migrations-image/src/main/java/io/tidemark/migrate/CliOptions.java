package io.tidemark.migrate;

import java.nio.file.Path;

/**
 * The parsed command line. Values not given are null, except for the documented defaults (location
 * /migrations, schema public, 5 connect retries).
 */
public record CliOptions(
    Command command,
    boolean help,
    String target,
    String to,
    String version,
    boolean json,
    String url,
    String user,
    String password,
    Path location,
    Path report,
    String lockTimeout,
    String statementTimeout,
    int connectRetries,
    String schemaList,
    String clearFailed,
    String baselineAt,
    boolean rehearse,
    String revision,
    String timeout,
    ChangeOptions change) {

  /**
   * What the change command checks before it changes anything, and where its backup goes.
   *
   * @param allowDowngrade without it, a target below the current revision is refused
   * @param requireUndo every revision to apply must have an undo script (a rollback by undo)
   * @param expectDigest the scripts' digest of the approved plan, or null
   * @param expectFrom the revision the approved plan started from, or null
   * @param backupDir the mounted backup volume; null: no backup
   * @param backupPrefix the resource's file name prefix: only its dumps are pruned
   * @param backupKeep how many of its dumps are kept, the new one included
   * @param backupProtect a dump that pruning must keep, or null
   */
  public record ChangeOptions(
      boolean allowDowngrade,
      boolean requireUndo,
      String expectDigest,
      String expectFrom,
      String backupDir,
      String backupPrefix,
      int backupKeep,
      String backupProtect) {
    public static final ChangeOptions NONE =
        new ChangeOptions(false, false, null, null, null, null, 1, null);

    public boolean backsUp() {
      return backupDir != null;
    }
  }

  public static final Path DEFAULT_LOCATION = Path.of("/migrations");
  public static final String DEFAULT_SCHEMA = "public";
  public static final int DEFAULT_CONNECT_RETRIES = 5;
  public static final String HISTORY_TABLE = "flyway_schema_history";

  /** The schema of the history table, the default schema: the first of --schema. */
  public String schema() {
    return schemas().get(0);
  }

  /** Every managed schema, the history's first. */
  public java.util.List<String> schemas() {
    return java.util.List.of(schemaList.split(","));
  }
}
