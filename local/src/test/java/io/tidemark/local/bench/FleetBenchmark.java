package io.tidemark.local.bench;

import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * A benchmark of N DatabaseSchemas in M namespaces (the operator's, on the mock API server and on
 * the real control plane): the options both take, and their main. A subclass reads the options from
 * the fields and adds its own through {@link #option}.
 */
public abstract class FleetBenchmark {
  protected int resources = 1000;
  protected int namespaces = 10;
  protected int revisions = 12;
  protected int idleSeconds = 60;
  protected int pollMs;
  protected int timeoutSeconds;

  protected FleetBenchmark(int pollMs, int timeoutSeconds) {
    this.pollMs = pollMs;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Parses the options, runs the benchmark and exits with its code. */
  protected static void runAndExit(FleetBenchmark bench, String[] args) throws Exception {
    bench.parse(args);
    System.exit(bench.run());
  }

  /** Runs the benchmark; 0 if every resource got Ready. */
  protected abstract int run() throws Exception;

  /**
   * Takes an option of the subclass's own ({@code value} reads its value); false if there is no
   * such option.
   */
  protected boolean option(String name, Supplier<String> value) {
    return false;
  }

  private void parse(String[] args) {
    Iterator<String> it = Arrays.asList(args).iterator();
    while (it.hasNext()) {
      String a = it.next();
      switch (a) {
        case "--resources" -> resources = Integer.parseInt(it.next());
        case "--namespaces" -> namespaces = Integer.parseInt(it.next());
        case "--revisions" -> revisions = Integer.parseInt(it.next());
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(it.next());
        case "--poll-ms" -> pollMs = Integer.parseInt(it.next());
        case "--timeout-seconds" -> timeoutSeconds = Integer.parseInt(it.next());
        default -> {
          if (!option(a, it::next)) {
            throw new IllegalArgumentException("unknown option " + a + "; see the class's Javadoc");
          }
        }
      }
    }
    if (resources < 1 || namespaces < 1 || revisions < 1) {
      throw new IllegalArgumentException(
          "--resources, --namespaces and --revisions must be at least 1");
    }
    namespaces = Math.min(namespaces, resources);
  }
}
