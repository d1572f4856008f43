package io.tidemark.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where local mode's walkthrough runs: an in-process mock API server with the local Job executor
 * ({@link LocalCluster}), or an existing API server with the local kubelet ({@link
 * ExistingCluster}). Both bring an embedded PostgreSQL and run the operator in this process.
 */
public interface LocalEnvironment extends AutoCloseable {
  KubernetesClient client();

  void createDatabase(String database, String user, String password);

  int postgresPort();

  /** Makes the claim's contents land in {@code folder} on this machine. */
  void mapClaim(String namespace, String claim, Path folder);

  /**
   * The nodeSelector that keeps the walkthrough's Jobs on this machine; empty where every Pod runs
   * here.
   */
  Map<String, String> nodeSelector();

  io.tidemark.operator.TidemarkOperator startOperator();

  /** One line on where things run, for the walkthrough's header. */
  String describe();

  @Override
  void close();
}
