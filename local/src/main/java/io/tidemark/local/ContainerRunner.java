package io.tidemark.local;

import java.util.function.Function;

/**
 * Runs one container to its end. The executor calls it on one of its bounded pool's threads and
 * writes the Pod's and Job's status from the result.
 *
 * <p>Being killed (Job deadline, Job deleted, executor closed) reaches the runner as an interrupt
 * of its thread: it must then stop the container promptly and throw {@link InterruptedException}.
 * Any other exception means the container could not be started (the kubelet's {@code StartError}).
 *
 * <p>The default is {@link #process()}. A benchmark that must not spend time in migrations can
 * finish every Job at once with {@link #instant}.
 */
@FunctionalInterface
public interface ContainerRunner {

  ContainerResult run(ContainerLaunch launch) throws Exception;

  /** Runs the launch's command line as a local process. */
  static ContainerRunner process() {
    return new ProcessContainerRunner();
  }

  /**
   * Runs nothing: every container ends at once with what {@code outcome} says, e.g. {@code launch
   * -> ContainerResult.succeeded(reportFor(launch.args()))}.
   */
  static ContainerRunner instant(Function<ContainerLaunch, ContainerResult> outcome) {
    return outcome::apply;
  }
}
