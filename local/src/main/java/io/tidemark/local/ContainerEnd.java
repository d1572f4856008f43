package io.tidemark.local;

/**
 * How one run of a container ended, in the kubelet's words: its exit code, the reason ({@code
 * Completed}, {@code Error}, {@code StartError}) and the termination message; or killed (its thread
 * interrupted: a deadline, a deletion, the executor or kubelet closing), in which case the caller
 * knows why. Shared by the local Job executor and the local kubelet.
 */
record ContainerEnd(boolean killed, int exitCode, String reason, String message) {
  /** What a kubelet reports for a container it could not start. */
  static final int START_ERROR_EXIT_CODE = 128;

  /** Runs the launch to its end on the calling thread. */
  static ContainerEnd run(ContainerRunner runner, ContainerLaunch launch) {
    ContainerResult result;
    try {
      result = runner.run(launch);
    } catch (InterruptedException e) {
      return new ContainerEnd(true, LocalJobExecutor.KILLED_EXIT_CODE, "Error", null);
    } catch (Exception e) {
      return new ContainerEnd(
          false,
          START_ERROR_EXIT_CODE,
          "StartError",
          "failed to start the container locally: " + e.getMessage());
    }
    int exit = result.exitCode();
    return new ContainerEnd(
        false,
        exit,
        exit == 0 ? "Completed" : "Error",
        TerminationMessage.of(
            result, launch.container(), launch.terminationMessageFile(), launch.logFile()));
  }
}
