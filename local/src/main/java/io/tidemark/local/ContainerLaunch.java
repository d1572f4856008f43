package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything needed to run one Pod's container on the host, already translated: the command line
 * (entrypoint and arguments with container paths rewritten to local folders), the complete
 * environment of the child process, and where its termination message and log go.
 *
 * @param job the Job the Pod belongs to, or null for a Pod of another owner (a Deployment's)
 * @param pod the Pod, as created by the executor
 * @param container the container of the Pod's spec that is run (the first one)
 * @param image what the container's image stands for
 * @param command the host command line; empty when neither the Job nor the image gives one
 * @param environment the child's whole environment (nothing else of the host's is inherited)
 * @param workingDirectory where the process starts
 * @param terminationMessageFile the local file behind the container's {@code
 *     terminationMessagePath}; empty when the process starts
 * @param logFile where stdout and stderr go
 * @param console receives every line of output too (local mode's console); never null
 */
public record ContainerLaunch(
    Job job,
    Pod pod,
    Container container,
    LocalImage image,
    List<String> command,
    Map<String, String> environment,
    Path workingDirectory,
    Path terminationMessageFile,
    Path logFile,
    Consumer<String> console) {

  public ContainerLaunch {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  public String namespace() {
    return pod.getMetadata().getNamespace();
  }

  public String podName() {
    return pod.getMetadata().getName();
  }

  public String jobName() {
    return job == null ? null : job.getMetadata().getName();
  }

  /** The container's {@code args} as the Job gives them (container paths, not rewritten). */
  public List<String> args() {
    return container.getArgs() == null ? List.of() : container.getArgs();
  }
}
