package io.tidemark.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU time of live threads, grouped by name without numbers, plus the whole process's. */
public final class CpuTimes {
  private CpuTimes() {}

  public static Map<String, Long> now() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new LinkedHashMap<>();
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info != null && cpu > 0) {
        byGroup.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      byGroup.put("(process)", sun.getProcessCpuTime());
    }
    return byGroup;
  }

  public static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
    Map<String, Long> d = new HashMap<>();
    later.forEach((k, v) -> d.put(k, v - earlier.getOrDefault(k, 0L)));
    return d;
  }

  private static String group(String name) {
    String g = name.replaceAll("[0-9]+", "N");
    if (g.startsWith("ReconcilerExecutor-") || g.equals("pool-N-thread-N")) {
      // java-operator-sdk's reconciler pool; its threads are renamed while they reconcile
      return "operator: java-operator-sdk reconciler threads (pool-N-thread-N)";
    }
    if (g.startsWith("vert.x-eventloop")) {
      return "mock API server: vert.x event loop (" + g + ")";
    }
    if (g.startsWith("local-job-")) {
      return "executor: " + g;
    }
    if (g.startsWith("JdkHttpClientFactory") || g.startsWith("HttpClient-N-SelectorManager")) {
      return "HTTP clients, all (" + g + ")";
    }
    if (g.startsWith("-N-pool-N-thread-N")) {
      return "fabric8 informer dispatch, all informers (" + g + ")";
    }
    return g;
  }
}
