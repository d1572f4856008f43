package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens connections: the first with retries and backoff (a database that is still starting is
 * normal in Kubernetes), classifying failures into the report's connection reasons by SQLState.
 */
public final class PostgresConnector {
  /** Sleeps between connection attempts; replaceable so that tests need not wait. */
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private static final long FIRST_DELAY_MS = 1000;
  private static final long MAX_DELAY_MS = 30_000;

  private final ConnectionSettings settings;
  private final SessionSettings session;
  private final int retries;
  private final Console console;
  private final Sleeper sleeper;
  private final PGSimpleDataSource dataSource;

  public PostgresConnector(
      ConnectionSettings settings,
      SessionSettings session,
      int retries,
      Console console,
      Sleeper sleeper) {
    this.settings = settings;
    this.session = session;
    this.retries = retries;
    this.console = console;
    this.sleeper = sleeper;
    this.dataSource = new PGSimpleDataSource();
    dataSource.setURL(settings.jdbcUrl());
    if (settings.user() != null) {
      dataSource.setUser(settings.user());
    }
    if (settings.password() != null) {
      dataSource.setPassword(settings.password());
    }
    dataSource.setApplicationName("tidemark-migrate");
  }

  /** For Flyway, which applies the session settings itself through initSql. */
  public DataSource dataSource() {
    return dataSource;
  }

  public ConnectionSettings settings() {
    return settings;
  }

  /**
   * Checks that the database can be reached, retrying connection-level failures (never
   * authentication or a missing database, which do not heal by waiting), and returns the server
   * version.
   */
  public String checkReachable() {
    long delay = FIRST_DELAY_MS;
    for (int attempt = 0; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        applySession(connection);
        return serverVersion(connection);
      } catch (SQLException e) {
        Reason reason = classify(e);
        if (reason != Reason.ConnectionFailed || attempt >= retries) {
          throw new RunnerException(reason, describeFailure(reason, e), e);
        }
        console.progress(
            "cannot connect to "
                + settings.describe()
                + " ("
                + firstLine(e.getMessage())
                + "); retry "
                + (attempt + 1)
                + " of "
                + retries
                + " in "
                + delay
                + " ms");
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new RunnerException(Reason.ConnectionFailed, "interrupted while waiting to retry");
        }
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      }
    }
  }

  /** The lock and statement timeouts every session gets. */
  public SessionSettings session() {
    return session;
  }

  /**
   * Applies the session settings; a value the server refuses (out of range, unknown) is bad input,
   * never a connection failure to be retried.
   */
  private void applySession(Connection connection) throws SQLException {
    try {
      session.apply(connection);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("22") || state.startsWith("42")) {
        throw new RunnerException(
            Reason.InvalidArgument,
            "PostgreSQL refuses the session settings ("
                + session.initSql()
                + "): "
                + firstLine(e.getMessage())
                + "; fix --lock-timeout or --statement-timeout",
            e);
      }
      throw e;
    }
  }

  /** A new session with the lock and statement timeouts applied. */
  public Connection open() {
    try {
      Connection connection = dataSource.getConnection();
      applySession(connection);
      return connection;
    } catch (SQLException e) {
      Reason reason = classify(e);
      throw new RunnerException(reason, describeFailure(reason, e), e);
    }
  }

  static String serverVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT current_setting('server_version')")) {
      rs.next();
      // "15.19 (Debian 15.19-1.pgdg120+1)" -> "15.19"
      return rs.getString(1).split("\\s+")[0];
    }
  }

  /** Maps a failure to connect to a report reason by its SQLState. */
  public static Reason classify(SQLException e) {
    if (tlsProblem(e).isPresent()) {
      return Reason.TlsVerificationFailed;
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("28")) {
      return Reason.AuthenticationFailed; // 28P01 invalid_password, 28000 no pg_hba entry
    }
    if (state.equals("3D000")) {
      return Reason.DatabaseNotFound; // invalid_catalog_name
    }
    if (state.startsWith("08") || state.equals("57P03") || state.equals("53300")) {
      return Reason.ConnectionFailed; // connection exception, cannot_connect_now, too many
    }
    return Reason.ConnectionFailed;
  }

  /** True when the failure is the connection itself, not the SQL that ran on it. */
  public static boolean isConnectionLoss(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  private String describeFailure(Reason reason, SQLException e) {
    if (reason == Reason.TlsVerificationFailed) {
      return "TLS failed (" + settings.describe() + "): " + tlsProblem(e).orElseThrow();
    }
    String what =
        switch (reason) {
          case AuthenticationFailed -> "authentication failed";
          case DatabaseNotFound -> "database does not exist";
          default -> "cannot connect";
        };
    return what + " (" + settings.describe() + "): " + firstLine(e.getMessage());
  }

  /**
   * What went wrong with TLS, in words that say what to fix, when that is why the connection
   * failed: the server's certificate is not signed by the CA given, does not name the host, or the
   * server offers no TLS where the mode requires it. Such failures do not heal by retrying.
   */
  static java.util.Optional<String> tlsProblem(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (message.contains("could not be verified by hostnameverifier")
          || message.contains("Server name") && message.contains("not match")) {
        return java.util.Optional.of(
            "the server's certificate does not name the host it was reached by (sslmode"
                + " verify-full checks the name): connect by a name the certificate has, or use"
                + " verify-ca ("
                + firstLine(message)
                + ")");
      }
      if (t instanceof java.security.cert.CertPathValidatorException
          || message.contains("PKIX path")
          || message.contains("unable to find valid certification path")) {
        return java.util.Optional.of(
            "the server's certificate is not signed by the CA in PGSSLROOTCERT"
                + " (spec.database.tls.ca): give the CA that issued the server's certificate ("
                + firstLine(message)
                + ")");
      }
      if (message.contains("The server does not support SSL")) {
        return java.util.Optional.of(
            "the server does not offer TLS, which sslmode "
                + "require, verify-ca and verify-full need: turn on ssl on the server, or lower"
                + " spec.database.sslMode");
      }
    }
    return java.util.Optional.empty();
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
