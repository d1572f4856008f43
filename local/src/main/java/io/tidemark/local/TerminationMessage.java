package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a container's termination message with the kubelet's limits: at most {@value #MAX_BYTES}
 * bytes of the termination-message file; with {@code terminationMessagePolicy:
 * FallbackToLogsOnError}, a failed container whose file is empty gets the last {@value
 * #FALLBACK_LINES} lines of its log, at most {@value #FALLBACK_BYTES} bytes.
 */
final class TerminationMessage {
  static final int MAX_BYTES = 4096;
  static final int FALLBACK_LINES = 80;
  static final int FALLBACK_BYTES = 2048;

  private TerminationMessage() {}

  static String of(ContainerResult result, Container container, Path messageFile, Path logFile) {
    String message =
        result.terminationMessage() != null
            ? truncate(result.terminationMessage(), MAX_BYTES)
            : readFile(messageFile);
    if (message.isEmpty()
        && result.exitCode() != 0
        && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
      message = tailOfLog(logFile);
    }
    return message;
  }

  static String readFile(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      return "";
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static String tailOfLog(Path logFile) {
    if (logFile == null || !Files.isRegularFile(logFile)) {
      return "";
    }
    try {
      // Lenient decoding: a log may hold bytes that are not UTF-8.
      List<String> lines =
          new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
      List<String> tail =
          new ArrayList<>(lines.subList(Math.max(0, lines.size() - FALLBACK_LINES), lines.size()));
      byte[] bytes = String.join("\n", tail).getBytes(StandardCharsets.UTF_8);
      int from = Math.max(0, bytes.length - FALLBACK_BYTES);
      return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String truncate(String s, int maxBytes) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= maxBytes ? s : new String(bytes, 0, maxBytes, StandardCharsets.UTF_8);
  }
}
