package io.tidemark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)
 * started from {@code testing/control-plane/bin/tidemark-control-plane} in a folder under {@code
 * target/}: one per test JVM, stopped with SIGTERM when the JVM exits. The admin client is for
 * setting up and checking; the operator under test gets a ServiceAccount's token.
 */
public final class ControlPlane implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ControlPlane shared;

  private final Path dir;
  private final Process process;
  private final Config adminConfig;
  private final KubernetesClient admin;

  private ControlPlane(Path dir, Process process, Config adminConfig) {
    this.dir = dir;
    this.process = process;
    this.adminConfig = adminConfig;
    this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
  }

  /** The control plane of this test JVM, started on first use. */
  public static synchronized ControlPlane shared() {
    if (shared == null) {
      shared =
          start(
              Repo.root()
                  .resolve(
                      "testing/cluster-tests/target/control-plane-"
                          + ProcessHandle.current().pid()));
      ControlPlane started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
    }
    return shared;
  }

  public static ControlPlane start(Path dir) {
    Path binary = Repo.root().resolve("testing/control-plane/bin/tidemark-control-plane");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary
              + " is missing: build it with testing/control-plane/build"
              + " (./mvnw verify does so before the integration tests)");
    }
    try {
      Files.createDirectories(dir);
      Process process =
          new ProcessBuilder(binary.toString(), "--dir", dir.toString())
              .redirectError(dir.resolve("control-plane.stderr.log").toFile())
              .start();
      CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> awaitReady(process));
      try {
        ready.get(300, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the control plane did not print 'ready' within 300 s; see "
                + dir.resolve("control-plane.stderr.log"));
      } catch (Exception e) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the control plane did not start: "
                + e.getMessage()
                + "; see "
                + dir.resolve("control-plane.stderr.log"),
            e);
      }
      Config config = Config.fromKubeconfig(Files.readString(dir.resolve("admin.kubeconfig")));
      config.setRequestTimeout(30_000);
      return new ControlPlane(dir, process, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitReady(Process process) {
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = out.readLine()) != null; ) {
        if (line.strip().equals("ready")) {
          // Keep draining stdout so that the process never blocks on a full pipe.
          Thread drain =
              new Thread(
                  () -> {
                    try {
                      while (out.readLine() != null) {
                        // nothing else is expected on stdout
                      }
                    } catch (IOException ignored) {
                      // the process ended
                    }
                  },
                  "control-plane-stdout");
          drain.setDaemon(true);
          drain.start();
          return;
        }
      }
      throw new IllegalStateException("exited with " + process.waitFor() + " before it was ready");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A cluster administrator (system:masters): for setting up and checking, never for the operator.
   */
  public KubernetesClient admin() {
    return admin;
  }

  public Config adminConfig() {
    return adminConfig;
  }

  public Path dir() {
    return dir;
  }

  /** A client authenticated as the ServiceAccount, with a token from the TokenRequest API. */
  public KubernetesClient clientAs(String namespace, String serviceAccount) {
    return new KubernetesClientBuilder().withConfig(configAs(namespace, serviceAccount)).build();
  }

  public Config configAs(String namespace, String serviceAccount) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24 * 3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertData(adminConfig.getCaCertData())
        .withOauthToken(token)
        .withNamespace(namespace)
        .withRequestTimeout(30_000)
        .build();
  }

  /** The user name the API server sees for a ServiceAccount. */
  public static String userOf(String namespace, String serviceAccount) {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount;
  }

  /**
   * CPU time the control plane's process has used so far (etcd, kube-apiserver,
   * kube-controller-manager and kube-scheduler run in it), or zero where the OS does not say.
   */
  public Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Every audit event so far (JSON lines of {@code audit.k8s.io/v1} Events). */
  public List<JsonNode> audit() {
    List<JsonNode> events = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(dir.resolve("audit.log"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          try {
            events.add(JSON.readTree(line));
          } catch (IOException partial) {
            // the last line may be half written
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  @Override
  public synchronized void close() {
    admin.close();
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
