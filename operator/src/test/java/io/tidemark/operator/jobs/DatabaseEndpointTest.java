package io.tidemark.operator.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.model.CaSource;
import io.tidemark.operator.model.ClusterRef;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseTls;
import io.tidemark.operator.model.KeySelector;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How spec.database becomes where and how the Jobs connect. */
class DatabaseEndpointTest {
  static DatabaseRef cluster() {
    DatabaseRef db = new DatabaseRef();
    ClusterRef ref = new ClusterRef();
    ref.setName("todo-postgres");
    db.setCluster(ref);
    db.setName("todo");
    return db;
  }

  @Test
  void aHostIsTakenAsWrittenWithPreferUnlessSaidOtherwise() {
    DatabaseRef db = new DatabaseRef();
    db.setHost("db.example.com");
    db.setPort(6432);
    db.setName("todo");
    db.setCredentialsSecret("todo-db");
    DatabaseEndpoint endpoint = DatabaseEndpoint.of(db);
    assertThat(endpoint.host()).isEqualTo("db.example.com");
    assertThat(endpoint.port()).isEqualTo(6432);
    assertThat(endpoint.credentialsSecret()).isEqualTo("todo-db");
    assertThat(endpoint.sslMode()).isEqualTo("prefer");
    assertThat(endpoint.ca()).isEmpty();
    assertThat(endpoint.describe()).isEqualTo("db.example.com:6432/todo");
  }

  @Test
  void aClusterFollowsCloudNativePgsNamesAndVerifiesFully() {
    DatabaseEndpoint endpoint = DatabaseEndpoint.of(cluster());
    assertThat(endpoint.host()).isEqualTo("todo-postgres-rw");
    assertThat(endpoint.port()).isEqualTo(5432);
    assertThat(endpoint.credentialsSecret()).isEqualTo("todo-postgres-app");
    assertThat(endpoint.usernameKey()).isEqualTo("username");
    assertThat(endpoint.passwordKey()).isEqualTo("password");
    assertThat(endpoint.sslMode()).isEqualTo("verify-full");
    assertThat(endpoint.ca())
        .contains(
            new DatabaseEndpoint.Ca(DatabaseEndpoint.Ca.Kind.SECRET, "todo-postgres-ca", "ca.crt"));
    assertThat(endpoint.clientCertificateSecret()).isEmpty();
  }

  @Test
  void aClustersCredentialsSecretCanBeNamed() {
    DatabaseRef db = cluster();
    db.setCredentialsSecret("todo-db");
    DatabaseEndpoint endpoint = DatabaseEndpoint.of(db);
    assertThat(endpoint.credentialsSecret()).isEqualTo("todo-db");
    assertThat(endpoint.host()).isEqualTo("todo-postgres-rw");
  }

  @Test
  void aClustersModeAndCaCanBeOverridden() {
    DatabaseRef db = cluster();
    db.setSslMode(DatabaseRef.SslMode.require);
    DatabaseTls tls = new DatabaseTls();
    CaSource ca = new CaSource();
    ca.setConfigMap(new KeySelector("corporate-roots", "bundle.pem"));
    tls.setCa(ca);
    tls.setClientCertificateSecret("todo-postgres-client");
    db.setTls(tls);
    DatabaseEndpoint endpoint = DatabaseEndpoint.of(db);
    assertThat(endpoint.sslMode()).isEqualTo("require");
    assertThat(endpoint.ca())
        .contains(
            new DatabaseEndpoint.Ca(
                DatabaseEndpoint.Ca.Kind.CONFIG_MAP, "corporate-roots", "bundle.pem"));
    assertThat(endpoint.clientCertificateSecret()).isEqualTo(Optional.of("todo-postgres-client"));
  }
}
