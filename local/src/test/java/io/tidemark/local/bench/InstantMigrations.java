package io.tidemark.local.bench;

import io.tidemark.local.ContainerLaunch;
import io.tidemark.local.ContainerResult;
import io.tidemark.local.ContainerRunner;
import io.tidemark.operator.jobs.JobFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ContainerRunner} that runs nothing: every container ends at once with the report the
 * real runner (or backup script) would have written, synthesized from the Job's args and env.
 *
 * <p>Every database has the same fake chain of revisions {@code 1..latest}; what each database is
 * at is kept here (keyed by namespace, host, port and name), so a plan after a migrate reports
 * {@code direction: none}, as the runner would.
 */
public final class InstantMigrations {
  static final String SERVER_VERSION = "16.4";
  private static final String DIGEST = "sha256:" + "5e1f".repeat(16);

  private final int latest;
  private final Map<String, Integer> current = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> containers = new ConcurrentHashMap<>();

  public InstantMigrations(int latest) {
    this.latest = latest;
  }

  public ContainerRunner runner() {
    return ContainerRunner.instant(this::run);
  }

  /** How many containers of each step ran (plan, backup, migrate, undo, ...). */
  Map<String, AtomicLong> containers() {
    return containers;
  }

  public Map<String, Long> counts() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    containers.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  private ContainerResult run(ContainerLaunch launch) {
    // The Pod carries the Job template's labels; against the mock server the executor plays the
    // Job controller and the Job is known too, against a real control plane only the Pod is.
    Map<String, String> labels =
        launch.job() != null
            ? launch.job().getMetadata().getLabels()
            : launch.pod().getMetadata().getLabels();
    String step =
        labels == null ? "unknown" : labels.getOrDefault(JobFactory.LABEL_STEP, "unknown");
    containers.computeIfAbsent(step, s -> new AtomicLong()).incrementAndGet();
    Map<String, String> env = launch.environment();
    String database =
        launch.namespace()
            + "/"
            + env.get("PGHOST")
            + ":"
            + env.get("PGPORT")
            + "/"
            + env.get("PGDATABASE");
    if ("backup".equals(step)) {
      String file = env.getOrDefault("BACKUP_FILE", "dump");
      return ContainerResult.succeeded(
          "{\"v\":1,\"command\":\"backup\",\"ok\":true,\"exit\":0,\"file\":\""
              + json(file)
              + "\",\"sizeBytes\":"
              + (4096 + Math.abs(file.hashCode() % 4096))
              + ",\"ms\":1}");
    }
    List<String> args = launch.args();
    String command = args.isEmpty() ? "" : args.get(0);
    int at = current.getOrDefault(database, 0);
    int target = target(args);
    switch (command) {
      case "plan":
        {
          String direction = target > at ? "up" : target < at ? "down" : "none";
          return ContainerResult.succeeded(
              report("plan", at, target, direction, between(at, target)));
        }
      case "migrate":
      case "undo":
        {
          current.put(database, target);
          return ContainerResult.succeeded(
              report(command, target, target, target >= at ? "up" : "down", between(at, target)));
        }
      case "change":
        {
          // Plan, backup (when asked) and change in one: what the runner's change command reports.
          String direction = target > at ? "up" : target < at ? "down" : "none";
          List<String> revisions = between(at, target);
          StringBuilder stages = new StringBuilder("{\"name\":\"plan\",\"ok\":true,\"ms\":1}");
          String file = "";
          if (!"none".equals(direction)) {
            int dir = args.indexOf("--backup-prefix");
            if (dir >= 0) {
              String name = args.get(dir + 1) + "20260101T000000Z_r" + at + ".dump";
              file = ",\"file\":\"" + json(name) + "\",\"sizeBytes\":4096";
              stages.append(",{\"name\":\"backup\",\"ok\":true,\"ms\":1}");
            }
            stages
                .append(",{\"name\":\"")
                .append(target > at ? "migrate" : "undo")
                .append("\",\"ok\":true,\"ms\":1,\"count\":")
                .append(revisions.size())
                .append('}');
            current.put(database, target);
          }
          String plan = report("change", target == at ? at : target, target, direction, revisions);
          return ContainerResult.succeeded(
              plan.substring(0, plan.length() - 1)
                  + file
                  + ",\"from\":\""
                  + at
                  + "\",\"stages\":["
                  + stages
                  + "]}");
        }
      default:
        return ContainerResult.failed(
            3,
            "{\"v\":1,\"command\":\""
                + json(command)
                + "\",\"ok\":false,\"exit\":3,\"reason\":\"InvalidArgument\",\"message\":\"benchmark runner: unknown command\"}");
    }
  }

  private int target(List<String> args) {
    int i = args.indexOf("--target");
    String value = i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "latest";
    if ("latest".equals(value)) {
      return latest;
    }
    try {
      return Math.min(latest, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return latest;
    }
  }

  /**
   * The revisions to apply (up, oldest first) or undo (down, newest first) from {@code at} to
   * {@code to}.
   */
  private static List<String> between(int at, int to) {
    List<String> revisions = new ArrayList<>();
    if (to > at) {
      for (int r = at + 1; r <= to; r++) {
        revisions.add(Integer.toString(r));
      }
    } else {
      for (int r = at; r > to; r--) {
        revisions.add(Integer.toString(r));
      }
    }
    return revisions;
  }

  private String report(
      String command, int current, int target, String direction, List<String> revisions) {
    StringBuilder list = new StringBuilder();
    for (String r : revisions) {
      list.append(list.length() == 0 ? "" : ",").append('"').append(r).append('"');
    }
    return "{\"v\":1,\"command\":\""
        + command
        + "\",\"ok\":true,\"exit\":0,\"current\":\""
        + current
        + "\",\"target\":\""
        + target
        + "\",\"latest\":\""
        + latest
        + "\",\"direction\":\""
        + direction
        + "\",\"revisions\":["
        + list
        + "],\"undoMissing\":[],\"truncated\":0,\"server\":\""
        + SERVER_VERSION
        + "\",\"digest\":\""
        + DIGEST
        + "\",\"ms\":1}";
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
