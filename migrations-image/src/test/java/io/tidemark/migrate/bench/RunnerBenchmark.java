package io.tidemark.migrate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The runner against the physical limit, on one machine, in one run (issue 2; results in
 * docs/benchmarks.md, "Runner").
 *
 * <p>The chain cases run interleaved, one round of every case after the other, so that a
 * disturbance by another process on the machine falls on all cases alike; the report gives the
 * median and the minimum of the rounds and the load average.
 *
 * <p>Generates a chain of N small migrations (default 500; each: CREATE TABLE, CREATE INDEX, an
 * INSERT of three rows, and its undo script), then measures, each case against a fresh database of
 * one embedded PostgreSQL:
 *
 * <ul>
 *   <li>{@code psql --single-transaction -f} of the concatenated V scripts: the floor, one process,
 *       one transaction, no bookkeeping;
 *   <li>{@code psql -f} of the same SQL with BEGIN/COMMIT around each migration: the floor for one
 *       transaction per migration (what Flyway does);
 *   <li>{@code java -jar tidemark-migrate.jar migrate} as a subprocess, JVM start included, then
 *       {@code info}, {@code migrate} with nothing pending and {@code undo --target 0} on the
 *       migrated database; and {@code migrate} again with the JVM's default flags instead of the
 *       image's;
 *   <li>start-up: {@code java -version}, the runner's {@code --help} (with the image's JVM flags
 *       and with the JVM's defaults) and {@code info} on a one-migration chain against an empty
 *       database.
 * </ul>
 *
 * It prints a Markdown report (machine, versions, table) on stdout. Not a JUnit test: its name does
 * not match surefire's patterns, and it is run on purpose:
 *
 * <pre>
 * ./mvnw -B -q -pl migrations-image package -DskipTests
 * ./mvnw -B -q -pl migrations-image exec:java@runner-benchmark
 * ./mvnw -B -q -pl migrations-image exec:java@runner-benchmark -Dexec.args="--count 500 --runs 5"
 * </pre>
 *
 * Options: {@code --count N} (500), {@code --runs N} runs of each chain case (5), {@code
 * --startup-runs N} (10), {@code --jar PATH} (migrations-image/target/tidemark-migrate.jar), {@code
 * --java PATH} (the JVM running the benchmark), {@code --psql PATH} (psql), {@code --jvm-flags
 * "..."} (the base image's ENTRYPOINT flags), {@code --synchronous-commit on|off} (on, as in
 * production), {@code --baseline-jar PATH} (an earlier build of the runner: its {@code migrate} of
 * the chain and with nothing pending run in the same rounds, for a before/after comparison under
 * the same load).
 */
public final class RunnerBenchmark {

  /** The JVM flags of migrations-image/Dockerfile's ENTRYPOINT, minus the path-only ones. */
  static final List<String> IMAGE_JVM_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:-UsePerfData",
          "-Xshare:auto",
          "-XX:MaxRAMPercentage=75",
          "-XX:+ExitOnOutOfMemoryError",
          "-Dfile.encoding=UTF-8");

  private final int count;
  private final int runs;
  private final int startupRuns;
  private final Path jar;
  private final Path baselineJar;
  private final String java;
  private final String psql;
  private final List<String> jvmFlags;
  private final String synchronousCommit;
  private final Path work;
  private final List<Row> rows = new ArrayList<>();
  private BenchPostgres pg;
  private int databases;
  private String loadAtStart;

  private RunnerBenchmark(Map<String, String> opts) throws IOException {
    this.count = Integer.parseInt(opts.getOrDefault("count", "500"));
    this.runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
    this.startupRuns = Integer.parseInt(opts.getOrDefault("startup-runs", "10"));
    this.jar = findJar(opts.get("jar"));
    this.baselineJar = opts.containsKey("baseline-jar") ? findJar(opts.get("baseline-jar")) : null;
    this.java =
        opts.getOrDefault(
            "java", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    this.psql = opts.getOrDefault("psql", "psql");
    this.jvmFlags =
        opts.containsKey("jvm-flags")
            ? Arrays.asList(opts.get("jvm-flags").trim().split("\\s+"))
            : IMAGE_JVM_FLAGS;
    this.synchronousCommit = opts.getOrDefault("synchronous-commit", "on");
    this.work = Files.createTempDirectory("tidemark-bench-");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parseArgs(args);
    RunnerBenchmark bench = new RunnerBenchmark(opts);
    try {
      bench.run();
    } finally {
      bench.cleanUp();
    }
  }

  private void run() throws Exception {
    loadAtStart = loadAverage();
    Path chain = work.resolve("chain");
    // A one-migration chain: the smallest chain info accepts (an empty one is "no migrations").
    Path tiny = work.resolve("tiny-chain");
    Files.createDirectories(tiny);
    Files.writeString(tiny.resolve("V1__nothing.sql"), "SELECT 1;\n");
    generateChain(chain);
    Path single = work.resolve("all-single.sql");
    Path perMigration = work.resolve("all-per-migration.sql");
    concatenate(chain, single, false);
    concatenate(chain, perMigration, true);

    long t0 = System.nanoTime();
    pg = BenchPostgres.start(synchronousCommit);
    double pgStartMs = (System.nanoTime() - t0) / 1e6;
    log(
        "PostgreSQL up on port "
            + pg.port()
            + " in "
            + Math.round(pgStartMs)
            + " ms ("
            + pg.description()
            + ")");

    // Warm-up, not measured: page cache for the jar, the JDK, psql, the server's catalog.
    log("warm-up");
    String warm = freshDatabase();
    timed(psqlOneTransaction(single), warm);
    String warmRunner = freshDatabase();
    timed(runner(jvmFlags, "migrate", "--location", chain.toString()), warmRunner);
    pg.dropDatabase(warm);
    pg.dropDatabase(warmRunner);

    // The chain cases, interleaved round by round, so that a disturbance (another process on
    // the machine) falls on all of them alike rather than on whichever case ran at that moment.
    List<Double> psqlSingle = new ArrayList<>();
    List<Double> psqlPer = new ArrayList<>();
    List<Double> migrate = new ArrayList<>();
    List<Double> migrateDefaults = new ArrayList<>();
    List<Double> infoFull = new ArrayList<>();
    List<Double> undo = new ArrayList<>();
    List<Double> noopMigrate = new ArrayList<>();
    List<Double> baselineMigrate = new ArrayList<>();
    List<Double> baselineNoop = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      log("round " + (i + 1) + "/" + runs);
      // 1. psql, one transaction: the floor.
      String db = freshDatabase();
      psqlSingle.add(timed(psqlOneTransaction(single), db));
      expectTables(db, count);
      pg.dropDatabase(db);
      // 2. psql, one transaction per migration.
      db = freshDatabase();
      psqlPer.add(
          timed(
              List.of(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", perMigration.toString()),
              db));
      expectTables(db, count);
      pg.dropDatabase(db);
      // 3. the runner: migrate, then info and undo on the same database.
      db = freshDatabase();
      migrate.add(timed(runner(jvmFlags, "migrate", "--location", chain.toString()), db));
      expectTables(db, count);
      infoFull.add(timed(runner(jvmFlags, "info", "--location", chain.toString()), db));
      // migrate with nothing pending: everything migrate does except the migrations
      // (start-up, connect, reading the history, scanning and validating the chain).
      noopMigrate.add(timed(runner(jvmFlags, "migrate", "--location", chain.toString()), db));
      undo.add(
          timed(runner(jvmFlags, "undo", "--target", "0", "--location", chain.toString()), db));
      expectTables(db, 0);
      pg.dropDatabase(db);
      // 3b. the same migrate with the JVM's defaults (C2 on, G1): what the image's flags cost
      // or save on a long run.
      db = freshDatabase();
      migrateDefaults.add(timed(runner(List.of(), "migrate", "--location", chain.toString()), db));
      expectTables(db, count);
      pg.dropDatabase(db);
      // 3c. the baseline jar (an earlier build), same flags, in the same round.
      if (baselineJar != null) {
        db = freshDatabase();
        baselineMigrate.add(
            timed(runner(baselineJar, jvmFlags, "migrate", "--location", chain.toString()), db));
        expectTables(db, count);
        baselineNoop.add(
            timed(runner(baselineJar, jvmFlags, "migrate", "--location", chain.toString()), db));
        pg.dropDatabase(db);
      }
    }
    add(
        "`psql --single-transaction -f` (" + count + " migrations, one transaction)",
        psqlSingle,
        count);
    add("`psql -f`, BEGIN/COMMIT around each migration", psqlPer, count);
    add("runner `migrate` (" + count + " migrations, JVM start included)", migrate, count);
    add("runner `migrate`, JVM defaults instead of the image's flags", migrateDefaults, count);
    add("runner `undo --target 0` (" + count + " undo scripts)", undo, count);
    add(
        "runner `info`, " + count + " applied (scan and checksum " + count + " files)",
        infoFull,
        0);
    add(
        "runner `migrate`, " + count + " applied, nothing pending (fixed cost of a migrate)",
        noopMigrate,
        0);
    if (baselineJar != null) {
      add("baseline jar: runner `migrate` (" + count + " migrations)", baselineMigrate, count);
      add("baseline jar: runner `migrate`, nothing pending", baselineNoop, 0);
    }

    // 4. start-up.
    List<Double> javaVersion = new ArrayList<>();
    List<Double> helpImage = new ArrayList<>();
    List<Double> helpDefault = new ArrayList<>();
    List<Double> infoEmpty = new ArrayList<>();
    String emptyDb = freshDatabase();
    // AppCDS: a static archive of the classes one change loads (the image makes it at build time
    // the same way, against a throwaway server), then info with and without it. (A dynamic
    // archive, -XX:ArchiveClassesAtExit, crashes this JDK 17 at exit on the same lambdas.)
    Path classList = work.resolve("runner.classlist");
    Path archive = work.resolve("runner.jsa");
    Files.deleteIfExists(archive);
    List<String> training = new ArrayList<>(jvmFlags);
    training.add("-XX:DumpLoadedClassList=" + classList);
    timed(runner(training, "change", "--location", tiny.toString()), freshDatabase());
    // Without the lambda proxies: archiving those of the runner's lambdas over picocli's
    // (class file version 49, which CDS does not archive) crashes this JDK 17 while dumping.
    Files.write(
        classList,
        Files.readAllLines(classList).stream()
            .filter(l -> !l.startsWith("@lambda-proxy"))
            .toList());
    List<String> dump = new ArrayList<>();
    dump.add(java);
    dump.addAll(jvmFlags.stream().filter(f -> !f.startsWith("-Xshare")).toList());
    dump.addAll(
        List.of(
            "-Xshare:dump",
            "-XX:SharedClassListFile=" + classList,
            "-XX:SharedArchiveFile=" + archive,
            "-cp",
            jar.toString()));
    timed(dump, null);
    List<String> withArchive = new ArrayList<>(jvmFlags);
    withArchive.add("-XX:SharedArchiveFile=" + archive);
    List<Double> infoArchive = new ArrayList<>();
    for (int i = 0; i < startupRuns; i++) {
      List<String> jv = new ArrayList<>();
      jv.add(java);
      jv.addAll(jvmFlags);
      jv.add("-version");
      javaVersion.add(timed(jv, null));
      helpImage.add(timed(runner(jvmFlags, "--help"), null));
      helpDefault.add(timed(runner(List.of(), "--help"), null));
      infoEmpty.add(timed(runner(jvmFlags, "info", "--location", tiny.toString()), emptyDb));
      infoArchive.add(timed(runner(withArchive, "info", "--location", tiny.toString()), emptyDb));
    }
    add("`java -version` (the JVM alone, image flags)", javaVersion, 0);
    add("runner `--help` (image flags)", helpImage, 0);
    add("runner `--help` (JVM defaults, no flags)", helpDefault, 0);
    add(
        "runner `info`, 1-migration chain, empty database (JVM, connect, Flyway set-up)",
        infoEmpty,
        0);
    add(
        "runner `info`, the same, with the AppCDS archive of a `change` (-XX:SharedArchiveFile,"
            + " static, made with -Xshare:dump)",
        infoArchive,
        0);

    printReport(pgStartMs);
  }

  // ---------------------------------------------------------------------------------------------
  // The chain

  private void generateChain(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int i = 1; i <= count; i++) {
      String t = String.format(Locale.ROOT, "bench_%04d", i);
      String up =
          "-- V"
              + i
              + ": a small migration of the benchmark chain.\n"
              + "CREATE TABLE "
              + t
              + " (\n"
              + "    id bigint PRIMARY KEY,\n"
              + "    name text NOT NULL,\n"
              + "    created_at timestamptz NOT NULL DEFAULT now()\n"
              + ");\n"
              + "CREATE INDEX ix_"
              + t
              + "_name ON "
              + t
              + " (name);\n"
              + "INSERT INTO "
              + t
              + " (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three');\n";
      String down = "-- U" + i + ": undo V" + i + ".\nDROP TABLE " + t + ";\n";
      Files.writeString(dir.resolve("V" + i + "__create_" + t + ".sql"), up);
      Files.writeString(dir.resolve("U" + i + "__create_" + t + ".sql"), down);
    }
  }

  private void concatenate(Path chain, Path out, boolean transactionPerMigration)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      String t = String.format(Locale.ROOT, "bench_%04d", i);
      String sql = Files.readString(chain.resolve("V" + i + "__create_" + t + ".sql"));
      if (transactionPerMigration) {
        sb.append("BEGIN;\n").append(sql).append("COMMIT;\n");
      } else {
        sb.append(sql);
      }
    }
    Files.writeString(out, sb.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Running and timing

  private List<String> runner(List<String> flags, String... args) {
    return runner(jar, flags, args);
  }

  private List<String> runner(Path jarFile, List<String> flags, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(flags);
    cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    cmd.add("-jar");
    cmd.add(jarFile.toString());
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** Runs a command to completion and returns its wall time in ms; fails on a non-zero exit. */
  private double timed(List<String> command, String database)
      throws IOException, InterruptedException {
    Path out = work.resolve("last-command.log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("PG") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    if (database != null) {
      env.put("PGHOST", "localhost");
      env.put("PGPORT", Integer.toString(pg.port()));
      env.put("PGUSER", "postgres");
      env.put("PGDATABASE", database);
      env.put("PGSSLMODE", "disable");
    }
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    double ms = (System.nanoTime() - start) / 1e6;
    if (p.exitValue() != 0) {
      String log = Files.readString(out, StandardCharsets.UTF_8);
      throw new IOException(
          "exit "
              + p.exitValue()
              + ": "
              + String.join(" ", command)
              + "\n"
              + log.substring(Math.max(0, log.length() - 4000)));
    }
    return ms;
  }

  private String freshDatabase() throws SQLException {
    String name = "bench_" + (++databases);
    pg.createDatabase(name);
    return name;
  }

  private void expectTables(String db, int expected) throws SQLException {
    try (Connection c = pg.connect(db);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'bench\\_%'")) {
      rs.next();
      int n = rs.getInt(1);
      if (n != expected) {
        throw new IllegalStateException(
            db + ": expected " + expected + " bench tables, found " + n);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Report

  private record Row(String what, List<Double> ms, int perMigration) {}

  private void add(String what, List<Double> ms, int perMigration) {
    rows.add(new Row(what, ms, perMigration));
    log(String.format(Locale.ROOT, "%s: median %.0f ms", what, median(ms)));
  }

  private void printReport(double pgStartMs) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("Date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    env.put(
        "CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc)");
    env.put("Memory", memTotal());
    env.put("Load average (1, 5, 15 min) at start / at end", loadAtStart + " / " + loadAverage());
    env.put("OS", osName() + ", kernel " + System.getProperty("os.version"));
    env.put("JDK (runner)", firstLine(capture(List.of(java, "-version"))));
    env.put("Runner JVM flags", String.join(" ", jvmFlags));
    env.put("psql", firstLine(capture(List.of(psql, "--version"))));
    try (Connection c = pg.connect("postgres");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT version(), current_setting('synchronous_commit'), current_setting('fsync')")) {
      rs.next();
      env.put(
          "PostgreSQL",
          rs.getString(1).replaceAll(",.*", "")
              + " ("
              + pg.description()
              + "; synchronous_commit="
              + rs.getString(2)
              + ", fsync="
              + rs.getString(3)
              + ", started in "
              + Math.round(pgStartMs)
              + " ms)");
    }
    env.put(
        "Chain",
        count
            + " migrations, each CREATE TABLE + CREATE INDEX + INSERT of 3 rows; "
            + runs
            + " runs per chain case, "
            + startupRuns
            + " per start-up case, fresh database each");

    StringBuilder sb = new StringBuilder();
    sb.append("\n");
    env.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append("\n"));
    sb.append("\n| Case | Runs | Median | Min | Max | Per migration (median) |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    Function<Double, String> f =
        ms ->
            ms >= 10_000
                ? String.format(Locale.ROOT, "%.1f s", ms / 1000)
                : String.format(Locale.ROOT, "%.0f ms", ms);
    for (Row r : rows) {
      double med = median(r.ms());
      sb.append("| ")
          .append(r.what())
          .append(" | ")
          .append(r.ms().size())
          .append(" | ")
          .append(f.apply(med))
          .append(" | ")
          .append(f.apply(Collections.min(r.ms())))
          .append(" | ")
          .append(f.apply(Collections.max(r.ms())))
          .append(" | ")
          .append(
              r.perMigration() > 0
                  ? String.format(Locale.ROOT, "%.2f ms", med / r.perMigration())
                  : "")
          .append(" |\n");
    }
    sb.append("\nRaw (ms): ");
    sb.append(
        rows.stream()
            .map(
                r ->
                    r.ms().stream()
                        .map(d -> Long.toString(Math.round(d)))
                        .collect(Collectors.joining(",", "[", "]")))
            .collect(Collectors.joining(" ")));
    sb.append("\n");
    System.out.print(sb);
    System.out.flush();
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal"))
          .map(
              l -> {
                long kb = Long.parseLong(l.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
              })
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String osName() {
    try {
      return Files.readAllLines(Path.of("/etc/os-release")).stream()
          .filter(l -> l.startsWith("PRETTY_NAME="))
          .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))
          .findFirst()
          .orElse(System.getProperty("os.name"));
    } catch (IOException e) {
      return System.getProperty("os.name");
    }
  }

  private static String capture(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String firstLine(String s) {
    String[] lines = s.strip().split("\n");
    // java -version: line 1 is the version, line 2 the runtime build; keep both short.
    return lines.length > 1 && lines[0].contains("version")
        ? lines[0].trim() + " (" + lines[1].trim() + ")"
        : lines[0].trim();
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  private static Path findJar(String given) {
    if (given != null) {
      return Path.of(given).toAbsolutePath();
    }
    for (String candidate :
        List.of("migrations-image/target/tidemark-migrate.jar", "target/tidemark-migrate.jar")) {
      Path p = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "tidemark-migrate.jar not found; build it first: ./mvnw -B -q -pl migrations-image package -DskipTests"
            + " (or pass --jar PATH)");
  }

  private static Map<String, String> parseArgs(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: RunnerBenchmark [--count N] [--runs N] [--startup-runs N] [--jar PATH] [--java PATH]"
                + " [--psql PATH] [--jvm-flags \"...\"] [--synchronous-commit on|off] [--baseline-jar PATH]; got "
                + a);
      }
      opts.put(a.substring(2), args[++i]);
    }
    return opts;
  }

  private void cleanUp() {
    try {
      if (pg != null) {
        pg.close();
      }
    } catch (Exception e) {
      log("could not stop PostgreSQL: " + e.getMessage());
    }
    try (var files = Files.walk(work)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log("could not remove " + work + ": " + e.getMessage());
    }
  }

  private static void log(String message) {
    System.err.println("[bench] " + message);
  }

  /** psql running {@code file} in one transaction, stopping at the first error. */
  private List<String> psqlOneTransaction(Path file) {
    return List.of(
        psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", file.toString());
  }
}
