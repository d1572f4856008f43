package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Pod into a {@link ContainerLaunch}, doing the kubelet's part before a container starts:
 * "pulling" the image from the {@link ImageCatalog}, resolving the environment, and setting up the
 * mounts, which for a local process means mapping container paths to host folders and rewriting the
 * command line and environment with {@link PathRewriter}.
 *
 * <p>Mounts, from lowest to highest precedence: the image's own folder ({@link
 * RunnerImage#mountedAt()}); the container's {@code volumeMounts} ({@code persistentVolumeClaim} to
 * {@link LocalVolumes#claim}, {@code secret} and {@code configMap} projected into a folder of the
 * Pod by {@link VolumeProjection}, {@code emptyDir} and any other kind to a folder of the Pod, with
 * {@code subPath} honoured); the {@code terminationMessagePath} to a file of the Pod.
 */
final class LaunchPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchPlanner.class);
  static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  /** The only host variables a container sees; the host's PG* variables must never leak in. */
  private static final List<String> HOST_VARIABLES = List.of("PATH", "HOME", "LANG");

  private final ImageCatalog images;
  private final LocalVolumes volumes;
  private final ContainerEnvironment environment;
  private final VolumeProjection projection;
  private final RunnerEntrypoint runner;
  private final LogSink logSink;

  LaunchPlanner(
      ImageCatalog images,
      LocalVolumes volumes,
      ContainerEnvironment environment,
      VolumeProjection projection,
      RunnerEntrypoint runner,
      LogSink logSink) {
    this.images = images;
    this.volumes = volumes;
    this.environment = environment;
    this.projection = projection;
    this.runner = runner;
    this.logSink = logSink;
  }

  /** The image, or the pull error the kubelet would report. */
  LocalImage pull(Container container) throws ImageNotFoundException {
    return images
        .lookup(container.getImage())
        .orElseThrow(() -> new ImageNotFoundException(container.getImage()));
  }

  ContainerLaunch plan(Job job, Pod pod) throws ImageNotFoundException, ContainerConfigException {
    Container container = pod.getSpec().getContainers().get(0);
    if (pod.getSpec().getContainers().size() > 1
        || !nullToEmpty(pod.getSpec().getInitContainers()).isEmpty()) {
      LOG.warn("Pod {}: only the first container is run locally", pod.getMetadata().getName());
    }
    LocalImage image = pull(container);
    Map<String, String> containerEnv = environment.resolve(pod, container);

    String namespace = pod.getMetadata().getNamespace();
    String podName = pod.getMetadata().getName();
    Path podFolder = volumes.podFolder(namespace, podName);
    Path messageFile = podFolder.resolve("termination-log");
    Path logFile = volumes.logFile(namespace, podName);
    Path workDir = podFolder.resolve("work");
    createEmptyFile(messageFile);
    createDirectories(workDir);

    PathRewriter paths = new PathRewriter(mounts(pod, container, image, podFolder, messageFile));

    // $(VAR) is expanded with the values the container would see, then every value is rewritten
    // exactly once: rewriting a value that is already a host path could rewrite it again.
    List<String> command = new ArrayList<>();
    List<String> args =
        ContainerEnvironment.expandAll(nullToEmpty(container.getArgs()), containerEnv);
    if (!nullToEmpty(container.getCommand()).isEmpty()) {
      command.addAll(
          paths.rewriteAll(ContainerEnvironment.expandAll(container.getCommand(), containerEnv)));
      command.addAll(paths.rewriteAll(args));
    } else if (image instanceof RunnerImage) {
      command.addAll(runner.commandLine());
      command.addAll(paths.rewriteAll(args));
    } else if (!args.isEmpty()) {
      // A tools image has no entrypoint of its own: the first argument is the program, as in
      // Docker with an image whose ENTRYPOINT is empty.
      command.addAll(paths.rewriteAll(args));
    }

    Map<String, String> processEnv = new LinkedHashMap<>();
    for (String name : HOST_VARIABLES) {
      String value = System.getenv(name);
      if (value != null) {
        processEnv.put(name, value);
      }
    }
    containerEnv.forEach((name, value) -> processEnv.put(name, paths.rewrite(value)));
    if (image instanceof ToolsImage tools && tools.toolsFirst() != null) {
      String hostPath = processEnv.get("PATH");
      processEnv.put("PATH", tools.toolsFirst() + (hostPath == null ? "" : ":" + hostPath));
    }

    Path workingDirectory = workDir;
    if (container.getWorkingDir() != null && !container.getWorkingDir().isBlank()) {
      Path mapped = Path.of(paths.rewrite(container.getWorkingDir()));
      if (Files.isDirectory(mapped)) {
        workingDirectory = mapped;
      } else {
        LOG.warn(
            "Pod {}: workingDir {} is not mounted; using {}",
            podName,
            container.getWorkingDir(),
            workDir);
      }
    }
    Consumer<String> console = line -> logSink.line(namespace, podName, line);
    return new ContainerLaunch(
        job,
        pod,
        container,
        image,
        command,
        processEnv,
        workingDirectory,
        messageFile,
        logFile,
        console);
  }

  private Map<String, Path> mounts(
      Pod pod, Container container, LocalImage image, Path podFolder, Path messageFile)
      throws ContainerConfigException {
    Map<String, Path> mounts = new LinkedHashMap<>();
    if (image instanceof RunnerImage runnerImage) {
      mounts.put(runnerImage.mountedAt(), runnerImage.migrationsDir());
    }
    Map<String, Volume> podVolumes = new LinkedHashMap<>();
    nullToEmpty(pod.getSpec().getVolumes()).forEach(v -> podVolumes.put(v.getName(), v));
    for (VolumeMount mount : nullToEmpty(container.getVolumeMounts())) {
      Path source = volumeFolder(pod, podVolumes.get(mount.getName()), mount.getName(), podFolder);
      if (mount.getSubPath() != null && !mount.getSubPath().isBlank()) {
        source = source.resolve(mount.getSubPath()).normalize();
        createDirectories(source);
      }
      mounts.put(mount.getMountPath(), source);
    }
    String messagePath = container.getTerminationMessagePath();
    mounts.put(
        messagePath == null || messagePath.isBlank()
            ? DEFAULT_TERMINATION_MESSAGE_PATH
            : messagePath,
        messageFile);
    return mounts;
  }

  private Path volumeFolder(Pod pod, Volume volume, String name, Path podFolder)
      throws ContainerConfigException {
    if (volume != null && volume.getPersistentVolumeClaim() != null) {
      return volumes.claim(
          pod.getMetadata().getNamespace(), volume.getPersistentVolumeClaim().getClaimName());
    }
    if (VolumeProjection.projects(volume)) {
      Path dir = podFolder.resolve("volumes").resolve(name);
      projection.project(pod.getMetadata().getNamespace(), volume, dir);
      return dir;
    }
    if (volume != null && volume.getEmptyDir() == null) {
      LOG.warn(
          "Pod {}: volume {} is not a claim, an emptyDir, a Secret or a ConfigMap; it is an empty"
              + " folder locally",
          pod.getMetadata().getName(),
          name);
    }
    Path dir = podFolder.resolve("volumes").resolve(name);
    createDirectories(dir);
    return dir;
  }

  private static void createEmptyFile(Path file) {
    try {
      Files.write(file, new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
