package io.tidemark.local;

/**
 * How a container ended.
 *
 * @param exitCode the process's exit code ({@code 0} is success)
 * @param terminationMessage the termination message, or {@code null} to read it from the launch's
 *     termination-message file (and, with {@code FallbackToLogsOnError}, from the log), as the
 *     kubelet does
 */
public record ContainerResult(int exitCode, String terminationMessage) {

  /** Exited with {@code exitCode}; the message is in the termination-message file. */
  public static ContainerResult exited(int exitCode) {
    return new ContainerResult(exitCode, null);
  }

  /** Exited with {@code 0} and this termination message (for runners that run nothing). */
  public static ContainerResult succeeded(String terminationMessage) {
    return new ContainerResult(0, terminationMessage);
  }

  /** Exited with {@code exitCode} and this termination message. */
  public static ContainerResult failed(int exitCode, String terminationMessage) {
    return new ContainerResult(exitCode, terminationMessage);
  }
}
