package io.tidemark.migrate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real PostgreSQL 15 per test class, a fresh database per test. The role the runner uses,
 * {@code app}, logs in with a password (scram) so that wrong passwords and redaction are real; the
 * test's own checks connect as the trusted superuser.
 */
abstract class PostgresTestSupport {
  static final String USER = "app";
  static final String PASSWORD = "Tr0ub4dor&3-s3cret";
  static final Path CHAIN = Path.of("src/test/resources/chain");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  static EmbeddedPostgres postgres;
  static Path hbaDir;

  String database;
  @TempDir Path tmp;

  /** What one in-process run of the runner produced. */
  record Run(int exit, String out, String err, String report) {
    String all() {
      return out + "\n" + err + "\n" + report;
    }
  }

  /**
   * Writes {@code dir}/pg_hba.conf: the superuser postgres trusted over the socket and 127.0.0.1
   * (the tests' own set-up), then {@code rules} in order; its path.
   */
  static Path writeHba(Path dir, String... rules) throws IOException {
    List<String> lines =
        new ArrayList<>(List.of("local all all trust", "host all postgres 127.0.0.1/32 trust"));
    lines.addAll(List.of(rules));
    lines.add("");
    return Files.writeString(dir.resolve("pg_hba.conf"), String.join("\n", lines));
  }

  @BeforeAll
  static void startPostgres() throws IOException, SQLException {
    hbaDir = Files.createTempDirectory("tidemark-hba");
    Path hba =
        writeHba(
            hbaDir,
            "host all postgres ::1/128 trust",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256");
    postgres = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString()).start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
    }
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }

  @BeforeEach
  void createDatabase() throws SQLException {
    database = "t" + DATABASES.incrementAndGet();
    execAdmin("postgres", "CREATE DATABASE " + database + " OWNER " + USER);
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", "localhost");
    env.put("PGPORT", String.valueOf(postgres.getPort()));
    env.put("PGDATABASE", database);
    env.put("PGUSER", USER);
    env.put("PGPASSWORD", PASSWORD);
    env.put("PGSSLMODE", "disable");
    return env;
  }

  /** Runs the runner on the test chain (unless --location is given) with a report file. */
  Run run(String... args) {
    return run(env(), args);
  }

  Run run(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--location") && !all.contains("--help")) {
      all.add("--location");
      all.add(CHAIN.toString());
    }
    all.add("--connect-retries");
    all.add("0");
    return runIn(tmp, env, all, millis -> {});
  }

  /**
   * One in-process run of the runner with {@code args} and a report file in {@code dir}; {@code
   * sleeper} is what it does between retries and checks.
   */
  static Run runIn(
      Path dir, Map<String, String> env, List<String> args, PostgresConnector.Sleeper sleeper) {
    List<String> all = new ArrayList<>(args);
    Path report = dir.resolve("report-" + System.nanoTime() + ".json");
    all.add("--report");
    all.add(report.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            all,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            sleeper);
    String reportText;
    try {
      reportText = Files.exists(report) ? Files.readString(report) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Run(
        exit,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        reportText);
  }

  Connection admin() throws SQLException {
    return postgres.getDatabase("postgres", database).getConnection();
  }

  void execAdmin(String db, String sql) throws SQLException {
    try (Connection c = postgres.getDatabase("postgres", db).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A database built by hand (or by another tool) up to revision 2 of the test chain. */
  void buildUpToRevision2ByHand() throws SQLException {
    exec(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE,"
            + " created_at timestamptz NOT NULL DEFAULT now())");
    exec("CREATE TYPE task_priority AS ENUM ('low', 'normal', 'high')");
    exec(
        "CREATE TABLE tasks (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id bigint NOT"
            + " NULL REFERENCES users (id) ON DELETE CASCADE, title text NOT NULL CHECK"
            + " (length(title) > 0), done boolean NOT NULL DEFAULT false)");
    exec("ALTER TABLE users OWNER TO app");
    exec("ALTER TABLE tasks OWNER TO app");
    exec("ALTER TYPE task_priority OWNER TO app");
  }

  void exec(String sql) throws SQLException {
    execAdmin(database, sql);
  }

  /** Rows of a query as strings, columns joined by '|'. */
  List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = admin();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** Applied versions in the history table, in order. */
  List<String> history() throws SQLException {
    if (query("SELECT to_regclass('public.flyway_schema_history') IS NULL").get(0).equals("t")) {
      return List.of();
    }
    return query(
        "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL"
            + " ORDER BY installed_rank");
  }

  List<String> tables() throws SQLException {
    return query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            + " AND tablename <> 'flyway_schema_history' ORDER BY 1");
  }

  CatalogSnapshot catalog() throws SQLException {
    try (Connection c = admin()) {
      return CatalogSnapshot.capture(c, "public");
    }
  }

  /** A chain of its own in a new folder: file name to content. */
  Path chain(Map<String, String> files) throws IOException {
    Path chain = tmp.resolve("chain-" + System.nanoTime());
    Files.createDirectories(chain);
    for (var file : files.entrySet()) {
      Files.writeString(chain.resolve(file.getKey()), file.getValue());
    }
    return chain;
  }

  /** A writable copy of the test chain, for tests that edit or remove scripts. */
  Path copyOfChain() throws IOException {
    Path copy = tmp.resolve("chain-" + System.nanoTime());
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(CHAIN)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    return copy;
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The runner in its own JVM (so that a test can kill it), on this class's database. */
  Process runnerProcess(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    command.addAll(List.of("--connect-retries", "0"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("runner-" + System.nanoTime() + ".log").toFile());
    builder.environment().putAll(env());
    return builder.start();
  }

  /**
   * A chain whose revision 2 is non-transactional (a concurrent index build, with its undo): what
   * an interrupted revision leaves behind.
   */
  static final Map<String, String> CONCURRENT_INDEX_CHAIN =
      Map.of(
          "V1__tasks.sql", "CREATE TABLE tasks (id int PRIMARY KEY, title text);",
          "V2__tasks_title_index.sql", "CREATE INDEX CONCURRENTLY tasks_title ON tasks (title);",
          "U2__tasks_title_index.sql", "DROP INDEX CONCURRENTLY IF EXISTS tasks_title;",
          "V3__notes.sql", "CREATE TABLE notes (id int);");

  /** Waits until the runner's session runs a statement containing {@code marker}; its pid. */
  int awaitSession(String marker, Process runner) throws Exception {
    return awaitSession(marker, runner::isAlive);
  }

  /**
   * Waits until a session of the test database runs a statement containing {@code marker}, as long
   * as {@code running} says the runner still runs; the session's pid.
   */
  int awaitSession(String marker, BooleanSupplier running) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!running.getAsBoolean()) {
        throw new AssertionError("the runner ended before it reached '" + marker + "'");
      }
      try (Connection c = postgres.getDatabase("postgres", "postgres").getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT pid FROM pg_stat_activity WHERE datname = '"
                      + database
                      + "' AND query LIKE '%"
                      + marker
                      + "%' AND query NOT LIKE '%pg_stat_activity%'")) {
        if (rs.next()) {
          return rs.getInt(1);
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the runner never reached '" + marker + "'");
  }
}
