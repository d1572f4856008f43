package io.tidemark.local;

/**
 * Receives containers' output line by line as it is written, e.g. to show it on local mode's
 * console. Called from the threads that read the processes' output; must not block for long.
 */
@FunctionalInterface
public interface LogSink {
  LogSink NONE = (namespace, podName, line) -> {};

  void line(String namespace, String podName, String line);
}
