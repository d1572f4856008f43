package io.tidemark.operator.reconcile;

import io.tidemark.operator.model.CaSource;
import io.tidemark.operator.model.ClusterRef;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseTls;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks {@code spec.database}: where the database is (a host or a CloudNativePG cluster), its
 * name, the Secret with its credentials and the keys in it, and how the connection is secured.
 */
final class DatabaseRefValidator {
  private static final Pattern HOST = Pattern.compile(DatabaseRef.HOST_PATTERN);
  private static final Pattern DB_NAME = Pattern.compile(DatabaseRef.DATABASE_NAME_PATTERN);
  private static final Pattern SECRET_KEY = Pattern.compile(DatabaseRef.SECRET_KEY_PATTERN);
  private static final Pattern CLUSTER_NAME = Pattern.compile(ClusterRef.NAME_PATTERN);

  private DatabaseRefValidator() {}

  static void check(DatabaseRef db, List<String> problems) {
    if (db == null) {
      problems.add(
          "spec.database is missing: set host, name and credentialsSecret (or cluster and name)");
      return;
    }
    boolean cluster = db.getCluster() != null;
    if (cluster) {
      SpecProblems.require(
          db.getCluster().getName(),
          CLUSTER_NAME,
          "spec.database.cluster.name",
          "the name of a CloudNativePG Cluster in this namespace",
          problems);
      if (db.getHost() != null) {
        problems.add(
            "spec.database.cluster is set together with host: the cluster decides the host"
                + " (<name>-rw); remove one or the other");
      }
    } else {
      SpecProblems.require(
          db.getHost(),
          HOST,
          "spec.database.host",
          "a DNS name or IP address such as todo-postgres-rw (or set spec.database.cluster)",
          problems);
    }
    SpecProblems.require(
        db.getName(),
        DB_NAME,
        "spec.database.name",
        "a database name of letters, digits, _ and -",
        problems);
    if (!cluster || db.getCredentialsSecret() != null) {
      SpecProblems.require(
          db.getCredentialsSecret(),
          SpecProblems.OBJECT_NAME,
          "spec.database.credentialsSecret",
          "the name of a Secret in this namespace with username and password keys",
          problems);
    }
    checkTls(db, cluster, problems);
    if (db.getPort() != null && (db.getPort() < 1 || db.getPort() > 65535)) {
      problems.add("spec.database.port " + db.getPort() + " is not a TCP port (1-65535)");
    }
    checkSecretKey("usernameKey", db.getUsernameKey(), problems);
    checkSecretKey("passwordKey", db.getPasswordKey(), problems);
  }

  private static void checkSecretKey(String field, String key, List<String> problems) {
    if (key != null && !SECRET_KEY.matcher(key).matches()) {
      problems.add(
          "spec.database."
              + field
              + " \""
              + SpecProblems.printable(key)
              + "\" is not a valid Secret key "
              + "(letters, digits, -, _ and ., not \".\" or \"..\" nor starting with \"..\")");
    }
  }

  private static void checkTls(DatabaseRef db, boolean cluster, List<String> problems) {
    DatabaseTls tls = db.getTls();
    CaSource ca = tls == null ? null : tls.getCa();
    boolean verifying =
        db.getSslMode() == DatabaseRef.SslMode.verifyCa
            || db.getSslMode() == DatabaseRef.SslMode.verifyFull;
    if (verifying && ca == null && !cluster) {
      problems.add(
          "spec.database.sslMode "
              + db.getSslMode().libpqValue()
              + " verifies the server with a CA: set spec.database.tls.ca (a Secret or ConfigMap"
              + " key with the CA certificate), or use spec.database.cluster");
    }
    if (ca != null) {
      if ((ca.getSecret() == null) == (ca.getConfigMap() == null)) {
        problems.add("spec.database.tls.ca takes one of secret and configMap");
      }
      for (var source : Arrays.asList(ca.getSecret(), ca.getConfigMap())) {
        if (source != null) {
          String field =
              "spec.database.tls.ca." + (source == ca.getSecret() ? "secret" : "configMap");
          SpecProblems.require(
              source.getName(),
              SpecProblems.OBJECT_NAME,
              field + ".name",
              "an object name",
              problems);
          SpecProblems.require(
              source.keyOrDefault(), SECRET_KEY, field + ".key", "a key such as ca.crt", problems);
        }
      }
    }
    if (tls != null && tls.getClientCertificateSecret() != null) {
      SpecProblems.require(
          tls.getClientCertificateSecret(),
          SpecProblems.OBJECT_NAME,
          "spec.database.tls.clientCertificateSecret",
          "the name of a kubernetes.io/tls Secret in this namespace",
          problems);
    }
  }
}
