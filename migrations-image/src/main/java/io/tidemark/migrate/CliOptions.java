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
    String timeout) {

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
