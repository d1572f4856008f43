package io.tidemark.local;

/**
 * The container cannot be configured (a Secret or key it needs is missing): the kubelet's {@code
 * CreateContainerConfigError}. The message is the kubelet's, e.g. {@code secret "todo-db" not
 * found}.
 */
final class ContainerConfigException extends Exception {
  ContainerConfigException(String kubeletMessage) {
    super(kubeletMessage);
  }
}
