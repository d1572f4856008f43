package io.tidemark.local.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Heap after a full GC, and the process's resident set. */
public record Heap(long used, long committed, long max, String rss, String hwm) {
  public static Heap measure() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
      Thread.sleep(200);
    }
    var usage = memory.getHeapMemoryUsage();
    return new Heap(
        usage.getUsed(),
        usage.getCommitted(),
        usage.getMax(),
        procStatus("VmRSS"),
        procStatus("VmHWM"));
  }

  private static String procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          String[] kb = line.substring(field.length() + 1).trim().split("\\s+");
          return String.format(Locale.ROOT, "%.1f MiB", Long.parseLong(kb[0]) / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "n/a";
  }
}
