package io.tidemark.operator.reconcile;

/** Keeps messages in status and Events short enough for kubectl and etcd. */
final class Messages {
  static final int MAX = 1024;

  private Messages() {}

  static String bounded(String message) {
    if (message == null) {
      return "";
    }
    String oneLine = message.strip();
    return oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX - 3) + "...";
  }
}
