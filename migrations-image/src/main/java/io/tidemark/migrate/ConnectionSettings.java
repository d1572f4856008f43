package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Where and as whom to connect: from --url (with --user/--password or PGUSER/PGPASSWORD), or from
 * libpq's variables so that the Secret that serves pg_dump serves the runner too. The password is
 * kept out of the URL and out of {@link #describe()}.
 */
public record ConnectionSettings(
    String jdbcUrl, String user, String password, String describe, Map<String, String> tls) {
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public static ConnectionSettings from(CliOptions options, Map<String, String> env) {
    String password = options.password() != null ? options.password() : env.get("PGPASSWORD");
    if (options.url() != null) {
      return fromUrl(options, env, password);
    }
    return fromLibpqVariables(options, env, password);
  }

  private static ConnectionSettings fromUrl(
      CliOptions options, Map<String, String> env, String password) {
    String url = options.url();
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new RunnerException(
          Reason.InvalidArgument, "--url must be a PostgreSQL JDBC URL (jdbc:postgresql://...)");
    }
    String user = options.user() != null ? options.user() : env.get("PGUSER");
    String shown = url.replaceFirst("\\?.*$", "");
    return new ConnectionSettings(url, user, password, shown, Map.of());
  }

  private static ConnectionSettings fromLibpqVariables(
      CliOptions options, Map<String, String> env, String password) {
    String host = nonEmpty(env.get("PGHOST"), "localhost");
    if (host.startsWith("/")) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "PGHOST '" + host + "' is a Unix socket directory; the runner connects over TCP only");
    }
    String port = nonEmpty(env.get("PGPORT"), "5432");
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new RunnerException(Reason.InvalidArgument, "PGPORT '" + port + "' is not a port");
    }
    String user = options.user() != null ? options.user() : env.get("PGUSER");
    if (user == null || user.isEmpty()) {
      throw new RunnerException(
          Reason.InvalidArgument, "no database user: set PGUSER (or give --user, or --url)");
    }
    String database = nonEmpty(env.get("PGDATABASE"), user);
    String sslMode = nonEmpty(env.get("PGSSLMODE"), "prefer");
    if (!SSL_MODES.contains(sslMode)) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "PGSSLMODE '" + sslMode + "' is not one of " + String.join(", ", SSL_MODES));
    }
    String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(hostPart)
            .append(':')
            .append(port)
            .append('/')
            .append(URLEncoder.encode(database, StandardCharsets.UTF_8))
            .append("?sslmode=")
            .append(sslMode);
    // The TLS files as libpq names them: checked to be there, the client key converted to the
    // form the JDBC driver reads; pg_dump and psql get the original files (libpqEnvironment).
    Map<String, String> tls = new java.util.LinkedHashMap<>();
    ClientTls.fromEnvironment(env, Path.of(System.getProperty("java.io.tmpdir"), "tidemark-tls"))
        .ifPresent(
            files -> {
              appendIfSet(url, "sslrootcert", files.rootCert());
              appendIfSet(url, "sslcert", files.cert());
              appendIfSet(url, "sslkey", files.jdbcKey());
              putIfSet(tls, ClientTls.ROOT_CERT, files.rootCert());
              putIfSet(tls, ClientTls.CERT, files.cert());
              putIfSet(tls, ClientTls.KEY, files.pemKey());
            });
    String connectTimeout = env.get("PGCONNECT_TIMEOUT");
    if (connectTimeout != null && connectTimeout.matches("\\d{1,4}")) {
      url.append("&connectTimeout=").append(connectTimeout);
    }
    String shown = "postgresql://" + user + "@" + hostPart + ":" + port + "/" + database;
    return new ConnectionSettings(url.toString(), user, password, shown, Map.copyOf(tls));
  }

  /** The same server and credentials, another database (the rehearsal's scratch database). */
  public ConnectionSettings withDatabase(String database) {
    java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
    String query = uri.getRawQuery();
    String url =
        "jdbc:postgresql://"
            + uri.getRawAuthority()
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8)
            + (query == null ? "" : "?" + query);
    String shown = describe.replaceFirst("/[^/]*$", "/" + database);
    return new ConnectionSettings(url, user, password, shown, tls);
  }

  /**
   * libpq's variables for the same connection (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD,
   * PGSSLMODE, PGSSLROOTCERT), for pg_dump and psql: the password goes in the environment, never on
   * a command line.
   */
  public Map<String, String> libpqEnvironment() {
    java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
    Map<String, String> env = new java.util.LinkedHashMap<>();
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    env.put("PGHOST", host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    env.put("PGPORT", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()));
    String path = uri.getPath() == null ? "" : uri.getPath();
    env.put("PGDATABASE", path.startsWith("/") ? path.substring(1) : path);
    if (user != null) {
      env.put("PGUSER", user);
    }
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    String query = uri.getQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          String key = pair.substring(0, eq);
          String value = pair.substring(eq + 1);
          if (key.equals("sslmode")) {
            env.put("PGSSLMODE", value);
          } else if (key.equals("sslrootcert")) {
            env.put(ClientTls.ROOT_CERT, value);
          }
        }
      }
    }
    // The client certificate and its key as mounted (PEM, which is what libpq reads).
    env.putAll(tls);
    return env;
  }

  @Override
  public String toString() {
    // Never the password, even by accident in a debugger or log line.
    return "ConnectionSettings[" + describe + "]";
  }

  private static void appendIfSet(StringBuilder url, String name, String value) {
    if (value != null && !value.isEmpty()) {
      url.append('&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }

  private static void putIfSet(Map<String, String> map, String name, String value) {
    if (value != null) {
      map.put(name, value);
    }
  }

  private static String nonEmpty(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
