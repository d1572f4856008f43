package io.tidemark.operator.jobs;

import io.tidemark.operator.model.CaSource;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseTls;
import io.tidemark.operator.model.KeySelector;
import java.util.Optional;

/**
 * Where and how the Jobs connect, resolved from spec.database: a host and a credentials Secret as
 * written, or a CloudNativePG Cluster by its conventions (the Service {@code <name>-rw}, the Secret
 * {@code <name>-app} unless credentialsSecret names another, the CA in {@code <name>-ca},
 * verify-full unless said otherwise). Every Job, the rival check and the docs go through this one
 * reading.
 */
public record DatabaseEndpoint(
    String host,
    int port,
    String database,
    String credentialsSecret,
    String usernameKey,
    String passwordKey,
    String sslMode,
    Optional<Ca> ca,
    Optional<String> clientCertificateSecret) {

  /** The CA certificate: a key of a Secret or of a ConfigMap. */
  public record Ca(Kind kind, String name, String key) {
    public enum Kind {
      SECRET,
      CONFIG_MAP
    }
  }

  public static DatabaseEndpoint of(DatabaseRef db) {
    boolean cluster = db.getCluster() != null && db.getCluster().getName() != null;
    String clusterName = cluster ? db.getCluster().getName() : null;
    DatabaseTls tls = db.getTls();
    Optional<Ca> ca =
        Optional.ofNullable(tls).map(DatabaseTls::getCa).flatMap(DatabaseEndpoint::ca);
    if (ca.isEmpty() && cluster) {
      ca = Optional.of(new Ca(Ca.Kind.SECRET, clusterName + "-ca", "ca.crt"));
    }
    String sslMode =
        db.getSslMode() != null
            ? db.getSslMode().libpqValue()
            : (cluster ? DatabaseRef.SslMode.verifyFull.libpqValue() : "prefer");
    return new DatabaseEndpoint(
        cluster ? clusterName + "-rw" : db.getHost(),
        db.getPort() == null ? 5432 : db.getPort(),
        db.getName(),
        db.getCredentialsSecret() != null || !cluster
            ? db.getCredentialsSecret()
            : clusterName + "-app",
        db.getUsernameKey() == null ? "username" : db.getUsernameKey(),
        db.getPasswordKey() == null ? "password" : db.getPasswordKey(),
        sslMode,
        ca,
        Optional.ofNullable(tls).map(DatabaseTls::getClientCertificateSecret));
  }

  private static Optional<Ca> ca(CaSource source) {
    if (source.getSecret() != null) {
      return Optional.of(of(Ca.Kind.SECRET, source.getSecret()));
    }
    if (source.getConfigMap() != null) {
      return Optional.of(of(Ca.Kind.CONFIG_MAP, source.getConfigMap()));
    }
    return Optional.empty();
  }

  private static Ca of(Ca.Kind kind, KeySelector selector) {
    return new Ca(kind, selector.getName(), selector.keyOrDefault());
  }

  /** "host:port/database", as messages name the database. */
  public String describe() {
    return host + ":" + port + "/" + database;
  }
}
