package io.tidemark.local;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the containers of a {@link LocalJobExecutor} or a {@link LocalKubelet} run with, as their
 * builders fill it in: the images that can be pulled, where volumes live, how a container runs, how
 * the runner image's entrypoint starts and where output also goes. The defaults are the same for
 * both.
 */
final class ContainerSettings {
  ImageCatalog images = ImageCatalog.withPostgresTools();
  LocalVolumes volumes;
  ContainerRunner runner = ContainerRunner.process();
  RunnerEntrypoint entrypoint = RunnerEntrypoint.defaults();
  LogSink logSink = LogSink.NONE;

  /** The volumes given, or a new temporary folder. */
  LocalVolumes volumesOrTemporary() {
    return volumes != null ? volumes : LocalVolumes.temporary();
  }

  /**
   * Plans containers with these settings, their Secrets and volumes read through {@code client}.
   */
  LaunchPlanner planner(KubernetesClient client, LocalVolumes localVolumes) {
    return new LaunchPlanner(
        images,
        localVolumes,
        new ContainerEnvironment(client),
        new VolumeProjection(client),
        entrypoint,
        logSink);
  }
}
