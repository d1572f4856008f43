package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.operator.model.ClusterRef;
import io.tidemark.operator.model.DatabaseRef;
import org.junit.jupiter.api.Test;

/**
 * A CloudNativePG cluster claims the database its Jobs connect to: the same key as the host it
 * resolves to, so that a resource naming the cluster and one naming its Service are rivals.
 */
class DatabaseClaimsClusterTest {
  static DatabaseRef cluster(String name) {
    DatabaseRef db = new DatabaseRef();
    ClusterRef ref = new ClusterRef();
    ref.setName(name);
    db.setCluster(ref);
    db.setName("todo");
    return db;
  }

  static DatabaseRef host(String host) {
    DatabaseRef db = new DatabaseRef();
    db.setHost(host);
    db.setCredentialsSecret("todo-db");
    db.setName("todo");
    return db;
  }

  @Test
  void aClusterAndItsReadWriteServiceAreOneDatabase() {
    assertThat(DatabaseClaims.key(cluster("todo-postgres"), "shop"))
        .isEqualTo("todo-postgres-rw.shop.svc:5432/todo")
        .isEqualTo(DatabaseClaims.key(host("todo-postgres-rw"), "shop"))
        .isEqualTo(DatabaseClaims.key(host("todo-postgres-rw.shop.svc.cluster.local"), "shop"));
  }

  @Test
  void theSameClusterNameInAnotherNamespaceIsAnotherDatabase() {
    assertThat(DatabaseClaims.key(cluster("todo-postgres"), "billing"))
        .isNotEqualTo(DatabaseClaims.key(cluster("todo-postgres"), "shop"));
  }
}
