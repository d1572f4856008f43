package io.tidemark.local;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.tidemark.operator.TidemarkOperator;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.metrics.TidemarkMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Local mode against an API server that already runs (a kubeconfig's): the CRD is applied, this
 * machine joins as a Node played by the {@link LocalKubelet}, and the operator runs in this process
 * with the kubeconfig's credentials. The walkthrough's Jobs carry a nodeSelector for that Node, so
 * on a cluster with real nodes they never land elsewhere.
 */
public final class ExistingCluster implements LocalEnvironment {
  private final KubernetesClient client;
  private final LocalPostgres postgres;
  private final LocalKubelet kubelet;
  private final OperatorSettings settings;
  private TidemarkOperator operator;

  public ExistingCluster(
      Path kubeconfig, ImageCatalog images, LocalVolumes volumes, OperatorSettings settings) {
    try {
      this.client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kubeconfig, e);
    }
    this.settings = settings;
    installCrd();
    this.postgres = LocalPostgres.start();
    this.kubelet = LocalKubelet.builder(client).images(images).volumes(volumes).start();
  }

  private void installCrd() {
    try (InputStream in =
        ExistingCluster.class.getClassLoader().getResourceAsStream(LocalCluster.CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            LocalCluster.CRD_RESOURCE
                + " is not on the classpath: build the operator module first");
      }
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.resource(crd).createOr(NonDeletingOperation::update);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!established()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the API server did not establish the DatabaseSchema CRD within 60 s");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private boolean established() {
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("databaseschemas.db.tidemark.io")
            .get();
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public void createDatabase(String database, String user, String password) {
    postgres.createDatabase(database, user, password);
  }

  @Override
  public int postgresPort() {
    return postgres.port();
  }

  /**
   * The scheduler places a Pod with a claim only once the claim is bound: a hostPath volume of this
   * machine's folder is bound to it (the kubelet mounts the folder itself).
   */
  @Override
  public void mapClaim(String namespace, String claim, Path folder) {
    kubeletVolumes().mapClaim(namespace, claim, folder);
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
    if (pvc != null
        && pvc.getSpec().getVolumeName() != null
        && !pvc.getSpec().getVolumeName().isEmpty()) {
      return;
    }
    String pv = "tidemark-local-" + namespace + "-" + claim;
    Quantity size =
        pvc != null
                && pvc.getSpec().getResources() != null
                && pvc.getSpec().getResources().getRequests() != null
            ? pvc.getSpec()
                .getResources()
                .getRequests()
                .getOrDefault("storage", new Quantity("1Gi"))
            : new Quantity("1Gi");
    client
        .resource(
            hostPathVolume(
                pv,
                namespace,
                claim,
                folder,
                size,
                pvc != null ? pvc.getSpec().getAccessModes() : List.of("ReadWriteOnce"),
                pvc != null && pvc.getSpec().getStorageClassName() != null
                    ? pvc.getSpec().getStorageClassName()
                    : ""))
        .createOr(NonDeletingOperation::update);
  }

  /**
   * A PersistentVolume {@code name} of this machine's {@code folder} (hostPath, created if
   * missing), bound in advance to claim {@code namespace/claim} and kept when the claim goes.
   */
  public static PersistentVolume hostPathVolume(
      String name,
      String namespace,
      String claim,
      Path folder,
      Quantity size,
      List<String> accessModes,
      String storageClass) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", size))
        .withAccessModes(accessModes)
        .withStorageClassName(storageClass)
        .withPersistentVolumeReclaimPolicy("Retain")
        .withNewHostPath()
        .withPath(folder.toAbsolutePath().toString())
        .withType("DirectoryOrCreate")
        .endHostPath()
        .withNewClaimRef()
        .withNamespace(namespace)
        .withName(claim)
        .endClaimRef()
        .endSpec()
        .build();
  }

  private LocalVolumes kubeletVolumes() {
    return kubelet.volumes();
  }

  @Override
  public Map<String, String> nodeSelector() {
    return Map.of("kubernetes.io/hostname", kubelet.nodeName());
  }

  @Override
  public synchronized TidemarkOperator startOperator() {
    if (operator == null) {
      operator =
          new TidemarkOperator(
              client, settings, new TidemarkMetrics(TidemarkMetrics.prometheusRegistry()));
      operator.start();
    }
    return operator;
  }

  @Override
  public String describe() {
    return "API server "
        + client.getMasterUrl()
        + " (kubeconfig), this machine as Node "
        + kubelet.nodeName()
        + ", embedded PostgreSQL";
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    kubelet.close();
    client.close();
    postgres.close();
  }
}
