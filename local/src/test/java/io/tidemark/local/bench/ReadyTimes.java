package io.tidemark.local.bench;

import static io.tidemark.local.bench.BenchFigures.pct;

import io.tidemark.local.testsupport.SchemaStatus;
import io.tidemark.operator.model.DatabaseSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When each resource of a benchmark was created and when it was first seen Ready, by key
 * (namespace/name).
 */
public final class ReadyTimes {
  private final Map<String, Instant> createdAt = new HashMap<>();
  private final Map<String, Instant> readyAt = new HashMap<>();

  /** The resource was created now. */
  public void created(String key) {
    createdAt.put(key, Instant.now());
  }

  /** Whether the resource is Ready (current and Ready); the first time it is, notes when. */
  public boolean check(String key, DatabaseSchema r) {
    boolean ready = SchemaStatus.isReady(r);
    if (ready) {
      readyAt.putIfAbsent(key, Instant.now());
    }
    return ready;
  }

  /** How many were seen Ready. */
  public int ready() {
    return readyAt.size();
  }

  /** Create to first seen Ready of each resource seen Ready, in ms, sorted. */
  public List<Long> createToReadyMillis() {
    return createdAt.entrySet().stream()
        .filter(e -> readyAt.containsKey(e.getKey()))
        .map(e -> Duration.between(e.getValue(), readyAt.get(e.getKey())).toMillis())
        .sorted()
        .toList();
  }

  /** "p50 / p90 / max s" of sorted times in ms (not empty). */
  public static String p50p90max(List<Long> sortedMillis) {
    return String.format(
        Locale.ROOT,
        "%.1f / %.1f / %.1f s",
        pct(sortedMillis, 50) / 1000.0,
        pct(sortedMillis, 90) / 1000.0,
        sortedMillis.get(sortedMillis.size() - 1) / 1000.0);
  }
}
