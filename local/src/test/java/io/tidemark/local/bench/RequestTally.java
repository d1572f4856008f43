package io.tidemark.local.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the mock API server's requests by who sent them and what they were. The server keeps every
 * request it served (with its body) until it is taken, so this drains them on a thread of its own:
 * without that, the heap would grow with every request and the heap figures would be wrong.
 *
 * <p>Operator and executor share one client, so the sender is told from the request: the operator
 * writes DatabaseSchema statuses, Events, and creates and deletes Jobs; the executor (the Job
 * controller's and kubelet's part) creates Pods, writes Pod and Job statuses and reads Secrets. The
 * benchmark's own requests carry their own User-Agent.
 */
final class RequestTally implements AutoCloseable {
  static final String BENCHMARK_USER_AGENT = "tidemark-operator-benchmark";

  private final KubernetesMockServer server;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final AtomicLong taken = new AtomicLong();
  private final Thread drainer;
  private volatile boolean stop;

  RequestTally(KubernetesMockServer server) {
    this.server = server;
    this.drainer = new Thread(this::drain, "benchmark-request-tally");
    drainer.setDaemon(true);
    drainer.start();
  }

  private void drain() {
    while (!stop) {
      try {
        RecordedRequest request = server.takeRequest(200, TimeUnit.MILLISECONDS);
        if (request != null) {
          counts.computeIfAbsent(key(request), k -> new AtomicLong()).incrementAndGet();
          taken.incrementAndGet();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // a request the server could not record completely: count it as such
        counts.computeIfAbsent("other|unparsed", k -> new AtomicLong()).incrementAndGet();
        taken.incrementAndGet();
      }
    }
  }

  /**
   * The counts so far, once every request the server has counted is tallied: "who|what" to count.
   */
  Map<String, Long> snapshot() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (taken.get() < server.getRequestCount() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
    Map<String, Long> d = new TreeMap<>();
    later.forEach(
        (k, v) -> {
          long diff = v - earlier.getOrDefault(k, 0L);
          if (diff != 0) {
            d.put(k, diff);
          }
        });
    return d;
  }

  static long total(Map<String, Long> counts, String who) {
    return counts.entrySet().stream()
        .filter(e -> who == null || e.getKey().startsWith(who + "|"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** "who|verb resource[/subresource]". */
  static String key(RecordedRequest request) {
    String userAgent = request.getHeader("User-Agent");
    String path = request.getPath() == null ? "" : request.getPath();
    String query = "";
    int q = path.indexOf('?');
    if (q >= 0) {
      query = path.substring(q + 1);
      path = path.substring(0, q);
    }
    String[] s = path.replaceAll("^/+", "").split("/");
    int i = s.length > 0 && "apis".equals(s[0]) ? 3 : 2; // /api/v1/... or /apis/group/version/...
    String resource = "";
    String name = null;
    String sub = null;
    if (i < s.length && "namespaces".equals(s[i]) && s.length >= i + 3) {
      i += 2;
    }
    if (i < s.length) {
      resource = s[i];
    }
    if (i + 1 < s.length) {
      name = s[i + 1];
    }
    if (i + 2 < s.length) {
      sub = s[i + 2];
    }
    String method = request.getMethod() == null ? "?" : request.getMethod();
    boolean watch = query.contains("watch=true") || query.contains("watch=1");
    String verb;
    switch (method) {
      case "GET":
        verb = name != null ? "get" : watch ? "watch" : "list";
        break;
      case "POST":
        verb = "create";
        break;
      case "PUT":
        verb = "update";
        break;
      case "PATCH":
        verb = "patch";
        break;
      case "DELETE":
        verb = "delete";
        break;
      default:
        verb = method.toLowerCase(java.util.Locale.ROOT);
    }
    String what = verb + " " + resource + (sub == null ? "" : "/" + sub);
    return who(userAgent, verb, resource) + "|" + what;
  }

  private static String who(String userAgent, String verb, String resource) {
    if (userAgent != null && userAgent.startsWith(BENCHMARK_USER_AGENT)) {
      return "benchmark";
    }
    switch (resource) {
      case "databaseschemas":
      case "events":
      case "leases":
      case "deployments":
      case "statefulsets":
      case "rollouts":
        return "operator";
      case "jobs":
        switch (verb) {
          case "create":
          case "delete":
          case "patch":
            return "operator";
          case "watch":
          case "list":
            return "informers";
          default:
            return "executor"; // status updates, and the reads after a conflict
        }
      case "pods":
        return "watch".equals(verb) ? "operator" : "executor";
      case "secrets":
      case "configmaps":
        return "executor";
      default:
        return "setup";
    }
  }

  @Override
  public void close() {
    stop = true;
    try {
      drainer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
