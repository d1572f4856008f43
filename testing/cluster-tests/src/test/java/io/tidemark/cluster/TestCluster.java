package io.tidemark.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.local.ExistingCluster;
import io.tidemark.local.ImageCatalog;
import io.tidemark.local.LocalKubelet;
import io.tidemark.local.LocalPostgres;
import io.tidemark.local.LocalVolumes;
import io.tidemark.local.ToolsImage;
import io.tidemark.local.testsupport.Manifests;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every test on the real control plane shares, once per JVM: the control plane, one Node
 * played by the local kubelet (with the images below), and an embedded PostgreSQL that checks
 * passwords. Namespaces are new per test and enforce the restricted Pod Security profile.
 */
final class TestCluster {
  static final Path CHAINS = Repo.root().resolve("local/src/test/resources/chains");
  static final String TODO_IMAGE = "registry.example.com/todo-migrations:1.7.0";
  static final String FAILING_IMAGE = "registry.example.com/shop-migrations:broken";
  static final String FIXED_IMAGE = "registry.example.com/shop-migrations:fixed";
  static final String SLOW_IMAGE = "registry.example.com/shop-migrations:slow";

  /** An application image: the Pod's command runs on the host (sleep, or a crash). */
  static final String APP_IMAGE = "registry.example.com/todo-api:1.0.0";

  static final String USER = "app";
  static final String PASSWORD = "s3cr3t-Pa55word!";

  private static TestCluster shared;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  final ControlPlane controlPlane;
  final KubernetesClient admin;
  final ImageCatalog images;
  final LocalVolumes volumes;
  final LocalKubelet kubelet;
  final LocalPostgres postgres;

  private TestCluster() {
    controlPlane = ControlPlane.shared();
    admin = controlPlane.admin();
    images =
        ImageCatalog.withPostgresTools()
            .addRunner(TODO_IMAGE, Repo.root().resolve("examples/todo/migrations"))
            .addRunner(FAILING_IMAGE, CHAINS.resolve("failing"))
            .addRunner(FIXED_IMAGE, CHAINS.resolve("fixed"))
            .addRunner(SLOW_IMAGE, CHAINS.resolve("slow"))
            .add(APP_IMAGE, ToolsImage.HOST);
    volumes = new LocalVolumes(controlPlane.dir().resolve("volumes"));
    postgres = LocalPostgres.start();
    kubelet = LocalKubelet.builder(admin).images(images).volumes(volumes).start();
    Crds.install(admin);
  }

  static synchronized TestCluster get() {
    if (shared == null) {
      shared = new TestCluster();
      TestCluster started = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.kubelet.close();
                    started.postgres.close();
                  },
                  "test-cluster-stop"));
    }
    return shared;
  }

  /**
   * A new namespace enforcing the restricted Pod Security profile, with the credentials Secret, a
   * backup claim bound to a volume of the local kubelet, and a database of the same name.
   */
  String newNamespaceWithDatabase(String prefix) {
    String ns =
        prefix
            + "-"
            + SEQUENCE.incrementAndGet()
            + "-"
            + Long.toString(System.nanoTime() % 100000, 36);
    restrictedNamespaceWithCredentials(admin, ns, USER, PASSWORD);
    backupClaim(ns, "backups");
    postgres.createDatabase(ns.replace('-', '_'), USER, PASSWORD);
    return ns;
  }

  /**
   * A namespace enforcing the restricted Pod Security profile, with the credentials Secret
   * "db-creds" (username and password keys).
   */
  static void restrictedNamespaceWithCredentials(
      KubernetesClient admin, String ns, String user, String password) {
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                .endMetadata()
                .build())
        .create();
    admin.resource(Manifests.credentialsSecret(ns, user, password)).create();
  }

  static String database(String ns) {
    return ns.replace('-', '_');
  }

  /**
   * A claim pre-bound to a hostPath volume; the kubelet maps the claim to the same local folder.
   */
  void backupClaim(String ns, String claim) {
    backupClaim(admin, volumes, ns, claim);
  }

  /** As {@link #backupClaim(String, String)}, on any control plane and local volumes. */
  static void backupClaim(KubernetesClient admin, LocalVolumes volumes, String ns, String claim) {
    String pv = "pv-" + ns + "-" + claim;
    Path folder = volumes.claim(ns, claim);
    admin
        .resource(
            ExistingCluster.hostPathVolume(
                pv, ns, claim, folder, new Quantity("1Gi"), List.of("ReadWriteOnce"), ""))
        .create();
    admin
        .resource(
            new PersistentVolumeClaimBuilder(Manifests.backupClaim(ns, claim))
                .editSpec()
                .withStorageClassName("")
                .withVolumeName(pv)
                .endSpec()
                .build())
        .create();
  }
}
