package io.tidemark.operator.jobs;

import static io.tidemark.operator.jobs.JobFactory.plain;
import static io.tidemark.operator.jobs.JobFactory.secret;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.tidemark.operator.model.DatabaseRef;
import java.util.ArrayList;
import java.util.List;

/**
 * How every Job reaches the database: libpq's variables, and the TLS files as read-only volumes and
 * mounts, all from one {@link DatabaseEndpoint}.
 */
record JobConnection(DatabaseEndpoint endpoint) {
  static JobConnection of(DatabaseRef db) {
    return new JobConnection(DatabaseEndpoint.of(db));
  }

  /**
   * libpq's variables; the user name and password only by reference to the Secret, the TLS files by
   * their paths in the volumes of {@link #volumes}.
   */
  List<EnvVar> env() {
    List<EnvVar> env =
        new ArrayList<>(
            List.of(
                // libpq and the JVM look in $HOME (e.g. ~/.postgresql/root.crt); the only writable
                // place is /tmp.
                plain("HOME", "/tmp"),
                plain("PGHOST", endpoint.host()),
                plain("PGPORT", Integer.toString(endpoint.port())),
                plain("PGDATABASE", endpoint.database()),
                plain("PGSSLMODE", endpoint.sslMode()),
                secret("PGUSER", endpoint.credentialsSecret(), endpoint.usernameKey()),
                secret("PGPASSWORD", endpoint.credentialsSecret(), endpoint.passwordKey())));
    if (endpoint.ca().isPresent()) {
      env.add(plain("PGSSLROOTCERT", TLS_CA_MOUNT + "/" + TLS_CA_FILE));
    }
    if (endpoint.clientCertificateSecret().isPresent()) {
      env.add(plain("PGSSLCERT", TLS_CLIENT_MOUNT + "/tls.crt"));
      env.add(plain("PGSSLKEY", TLS_CLIENT_MOUNT + "/tls.key"));
    }
    return env;
  }

  static final String TLS_CA_MOUNT = "/etc/tidemark/tls/ca";
  static final String TLS_CA_FILE = "ca.crt";
  static final String TLS_CLIENT_MOUNT = "/etc/tidemark/tls/client";

  /**
   * The CA and the client certificate as read-only volumes, only the keys needed (never a CA
   * Secret's own key, such as CloudNativePG's ca.key). Optional: a Secret or ConfigMap that is not
   * there (yet) leaves the file out, and the Job says which file is missing (TlsFileMissing)
   * instead of waiting for a mount. The client key is readable by the Jobs' group only (mode 0640,
   * group fsGroup 65532, owner root), which libpq accepts for a key.
   */
  List<Volume> volumes() {
    List<Volume> volumes = new ArrayList<>();
    endpoint
        .ca()
        .ifPresent(
            ca -> {
              KeyToPath item = new KeyToPath(ca.key(), 0444, TLS_CA_FILE);
              VolumeBuilder volume = new VolumeBuilder().withName(TLS_CA_VOLUME);
              if (ca.kind() == DatabaseEndpoint.Ca.Kind.SECRET) {
                volume
                    .withNewSecret()
                    .withSecretName(ca.name())
                    .withItems(item)
                    .withOptional(true)
                    .endSecret();
              } else {
                volume
                    .withNewConfigMap()
                    .withName(ca.name())
                    .withItems(item)
                    .withOptional(true)
                    .endConfigMap();
              }
              volumes.add(volume.build());
            });
    endpoint
        .clientCertificateSecret()
        .ifPresent(
            secretName ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(TLS_CLIENT_VOLUME)
                        .withNewSecret()
                        .withSecretName(secretName)
                        .withItems(
                            new KeyToPath("tls.crt", 0444, "tls.crt"),
                            new KeyToPath("tls.key", 0640, "tls.key"))
                        .withOptional(true)
                        .endSecret()
                        .build()));
    return volumes;
  }

  List<VolumeMount> mounts() {
    List<VolumeMount> mounts = new ArrayList<>();
    for (Volume volume : volumes()) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(volume.getName())
              .withMountPath(
                  volume.getName().equals(TLS_CA_VOLUME) ? TLS_CA_MOUNT : TLS_CLIENT_MOUNT)
              .withReadOnly(true)
              .build());
    }
    return mounts;
  }

  private static final String TLS_CA_VOLUME = "tls-ca";
  private static final String TLS_CLIENT_VOLUME = "tls-client";
}
