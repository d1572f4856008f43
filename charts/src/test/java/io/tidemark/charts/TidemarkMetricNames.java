package io.tidemark.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus names of the metrics the operator declares, parsed out of the source of
 * operator/src/main/java/io/tidemark/operator/metrics/TidemarkMetrics.java, so that a dashboard or
 * alert query naming a metric the operator does not export (a typo, a renamed metric) fails the
 * build. Micrometer's Prometheus naming: a Timer "x" is x_seconds_bucket, _count, _sum and _max; a
 * Counter "x" is x_total; a Gauge "x" is x, or x_bytes with baseUnit("bytes"); an Info of the
 * Prometheus client "x_info" is x_info.
 */
final class TidemarkMetricNames {
  static final Path SOURCE =
      Path.of(
          "..",
          "operator",
          "src",
          "main",
          "java",
          "io",
          "tidemark",
          "operator",
          "metrics",
          "TidemarkMetrics.java");

  private static final Pattern TIMER =
      Pattern.compile("Timer\\.builder\\(\\s*\"(tidemark_\\w+)\"\\s*\\)");
  private static final Pattern COUNTER =
      Pattern.compile("Counter\\.builder\\(\\s*\"(tidemark_\\w+)\"\\s*\\)");

  /**
   * An info metric of the Prometheus client: Info.builder().name("tidemark_x_info"), exported as
   * named.
   */
  private static final Pattern INFO =
      Pattern.compile("Info\\.builder\\(\\)\\s*\\.name\\(\\s*\"(tidemark_\\w+_info)\"\\s*\\)");

  private static final Pattern GAUGE =
      Pattern.compile("Gauge\\.builder\\(\\s*\"(tidemark_\\w+)\"[^;]*;");
  private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"(\\w+)\"\\s*\\)");
  private static final Pattern ANY_NAME = Pattern.compile("\"(tidemark_\\w+)\"");

  private TidemarkMetricNames() {}

  /** Every series name the operator's own metrics can have. */
  static Set<String> declared() {
    String source;
    try {
      source = Files.readString(SOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the test reads the operator's metric names from " + SOURCE, e);
    }
    Set<String> names = new TreeSet<>();
    Set<String> seen = new TreeSet<>();
    Matcher m = TIMER.matcher(source);
    while (m.find()) {
      seen.add(m.group(1));
      for (String suffix :
          new String[] {"_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max"}) {
        names.add(m.group(1) + suffix);
      }
    }
    m = COUNTER.matcher(source);
    while (m.find()) {
      seen.add(m.group(1));
      names.add(m.group(1) + "_total");
    }
    m = INFO.matcher(source);
    while (m.find()) {
      seen.add(m.group(1));
      names.add(m.group(1));
    }
    m = GAUGE.matcher(source);
    while (m.find()) {
      seen.add(m.group(1));
      Matcher unit = BASE_UNIT.matcher(m.group());
      names.add(unit.find() ? m.group(1) + "_" + unit.group(1) : m.group(1));
    }
    // Every "tidemark_..." literal of the file is one of the above: a new kind of meter must be
    // taught here.
    m = ANY_NAME.matcher(source);
    while (m.find()) {
      if (!seen.contains(m.group(1))) {
        throw new AssertionError(
            "TidemarkMetrics.java names "
                + m.group(1)
                + " in a way TidemarkMetricNames does not parse (not a Timer, Counter, Gauge or Info builder)");
      }
    }
    return names;
  }

  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "offset",
          "bool",
          "atan2",
          "inf",
          "nan",
          "start",
          "end");

  /**
   * The metric names a PromQL expression selects: identifiers that are not functions or
   * aggregations (followed by a parenthesis), keywords, label names, durations or strings.
   */
  static Set<String> usedIn(String expr) {
    String e =
        expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // strings
            .replaceAll("'(\\\\.|[^'\\\\])*'", "''")
            .replaceAll("\\{[^}]*\\}", "{}") // label matchers
            .replaceAll("\\[[^\\]]*\\]", "[]") // ranges and subqueries
            .replaceAll(
                "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
                " ") // label lists
            .replaceAll("\\boffset\\s+-?[0-9a-z]+", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(e);
    while (m.find()) {
      if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
