package io.tidemark.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * An embedded PostgreSQL that checks passwords as a real one does: only the superuser (used to set
 * up databases and to check results) stays trusted, so that Jobs authenticate as they would in a
 * cluster and a wrong password fails as it would there.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Pattern SAFE_IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  private final EmbeddedPostgres postgres;

  private LocalPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static LocalPostgres start() {
    try {
      LocalPostgres started = new LocalPostgres(EmbeddedPostgres.builder().start());
      started.requirePasswords();
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  private void requirePasswords() throws IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      Path hba = hbaFile(s);
      Files.writeString(
          hba,
          String.join(
              "\n",
              "local all postgres trust",
              "host all postgres 127.0.0.1/32 trust",
              "host all postgres ::1/128 trust",
              "local all all scram-sha-256",
              "host all all 127.0.0.1/32 scram-sha-256",
              "host all all ::1/128 scram-sha-256",
              ""));
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not configure password authentication: " + e.getMessage(), e);
    }
  }

  /** The server's pg_hba.conf, as a superuser session reads its path. */
  public static Path hbaFile(Statement superuser) throws SQLException {
    try (ResultSet rs = superuser.executeQuery("SHOW hba_file")) {
      rs.next();
      return Path.of(rs.getString(1));
    }
  }

  /**
   * Creates a login role (unless it exists) and a database it owns; identifiers are checked, the
   * password quoted.
   */
  public void createDatabase(String database, String user, String password) {
    if (!SAFE_IDENTIFIER.matcher(database).matches() || !SAFE_IDENTIFIER.matcher(user).matches()) {
      throw new IllegalArgumentException("database and user must be simple lower-case identifiers");
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + user
              + "') THEN "
              + "CREATE ROLE "
              + user
              + " LOGIN PASSWORD '"
              + password.replace("'", "''")
              + "'; END IF; END $$");
      s.execute("CREATE DATABASE " + database + " OWNER " + user);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not create database " + database + ": " + e.getMessage(), e);
    }
  }

  /** A JDBC connection to a database as the superuser, for checking what the Jobs did. */
  public Connection connect(String database) throws SQLException {
    return postgres.getDatabase("postgres", database).getConnection();
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
