package io.tidemark.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one replica of the operator, installed as the chart installs it. */
abstract class WithOperator {
  static TestCluster cluster;
  static KubernetesClient admin;
  static Operators.Running operator;

  @BeforeAll
  static void startOperator() {
    cluster = TestCluster.get();
    admin = cluster.admin;
    operator = Operators.start(cluster, Map.of());
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }
}
