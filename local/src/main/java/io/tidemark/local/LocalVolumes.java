package io.tidemark.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the local executor keeps what a node would: volume claims, Pods' scratch folders and
 * container logs, all under one root folder.
 *
 * <pre>
 * &lt;root&gt;/pvc/&lt;namespace&gt;/&lt;claimName&gt;/   a PersistentVolumeClaim (created on first use)
 * &lt;root&gt;/pods/&lt;namespace&gt;/&lt;pod&gt;/        a Pod's emptyDirs, termination-log file, working dir
 * &lt;root&gt;/logs/&lt;namespace&gt;/&lt;pod&gt;.log     the container's stdout and stderr
 * </pre>
 *
 * A claim can also be mapped to any folder with {@link #mapClaim}, e.g. so that local mode keeps
 * backups where the user can see them. Claims outlive Pods and Jobs, as in a cluster.
 */
public final class LocalVolumes {
  private final Path root;
  private final Map<String, Path> mappedClaims = new ConcurrentHashMap<>();

  public LocalVolumes(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    createDirectories(this.root);
  }

  /** A root under a new temporary folder, for tests and throwaway local runs. */
  public static LocalVolumes temporary() {
    try {
      return new LocalVolumes(Files.createTempDirectory("tidemark-local-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  /** Makes claim {@code namespace/claimName} the given folder (created if missing). */
  public LocalVolumes mapClaim(String namespace, String claimName, Path folder) {
    Path dir = folder.toAbsolutePath().normalize();
    createDirectories(dir);
    mappedClaims.put(namespace + "/" + claimName, dir);
    return this;
  }

  /** The folder of claim {@code namespace/claimName}, created on demand. */
  public Path claim(String namespace, String claimName) {
    Path mapped = mappedClaims.get(namespace + "/" + claimName);
    Path dir =
        mapped != null
            ? mapped
            : root.resolve("pvc").resolve(safe(namespace)).resolve(safe(claimName));
    createDirectories(dir);
    return dir;
  }

  /** A Pod's scratch folder (emptyDirs, termination-log, default working directory). */
  public Path podFolder(String namespace, String podName) {
    Path dir = root.resolve("pods").resolve(safe(namespace)).resolve(safe(podName));
    createDirectories(dir);
    return dir;
  }

  /** The file holding the stdout and stderr of the Pod's container. */
  public Path logFile(String namespace, String podName) {
    Path dir = root.resolve("logs").resolve(safe(namespace));
    createDirectories(dir);
    return dir.resolve(safe(podName) + ".log");
  }

  /** Kubernetes names are DNS labels, but a name is never allowed to climb out of the root. */
  private static String safe(String name) {
    if (name == null
        || name.isEmpty()
        || name.contains("/")
        || name.contains("\\")
        || name.equals(".")
        || name.equals("..")) {
      throw new IllegalArgumentException("not a usable name for a local folder: " + name);
    }
    return name;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
