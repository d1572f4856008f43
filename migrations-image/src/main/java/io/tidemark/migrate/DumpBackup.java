package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup of the change command: {@code pg_dump -Fc} of the whole database into the mounted
 * backup volume, in the order that keeps a backup from being lost (the same as the backup Job's
 * script):
 *
 * <ol>
 *   <li>The client is checked first: a pg_dump older than the server refuses to dump it, so that is
 *       said plainly before anything is written.
 *   <li>Hidden partial files of this prefix left by a stopped backup are removed (only Tidemark's
 *       own hidden names).
 *   <li>pg_dump writes a hidden partial file; it is verified (not empty, read back by {@code
 *       pg_restore --list}, a dump of the right database), then renamed to its final name and
 *       flushed.
 *   <li>Older dumps of the same prefix are pruned by {@link #pruneOlderThan} once the change that
 *       follows is over (never the new one, never the protected one, never a file whose name is not
 *       Tidemark's exact pattern), keeping the newest by the time in the name: a runner killed
 *       during the change leaves every older dump where it was, the one the status names included.
 * </ol>
 *
 * Any failure of the backup is {@link Reason#BackupFailed}: nothing was kept, nothing pruned, and
 * the change does not run.
 */
final class DumpBackup {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String AFTER_PREFIX = "([0-9]{8}T[0-9]{6}Z)_r[0-9A-Za-z.]+\\.dump";
  private static final Pattern MAJOR = Pattern.compile("(\\d+)");
  private static final int OUTPUT_LIMIT = 600;

  /** A verified dump in the backup folder. */
  record Taken(String file, long sizeBytes, int entries) {}

  /** Runs a client tool; tests replace it. */
  interface Tools {
    /** Exit code and combined output of {@code command} with {@code env} added. */
    ToolResult run(Map<String, String> env, List<String> command) throws IOException;
  }

  record ToolResult(int exit, String output) {}

  private final Path dir;
  private final String prefix;
  private final int keep;
  private final String protect;
  private final Map<String, String> libpq;
  private final Console console;
  private final Tools tools;

  DumpBackup(
      Path dir,
      String prefix,
      int keep,
      String protect,
      Map<String, String> libpq,
      Console console,
      Tools tools) {
    this.dir = dir;
    this.prefix = prefix;
    this.keep = Math.max(1, keep);
    this.protect = protect;
    this.libpq = Map.copyOf(libpq);
    this.console = console;
    this.tools = tools;
  }

  /** The file name of a dump of {@code revision} taken at {@code at}. */
  String fileName(Instant at, String revision) {
    return prefix + STAMP.format(at) + "_r" + revision + ".dump";
  }

  /** Takes, verifies and keeps the dump of the database at {@code revision}; prunes nothing. */
  Taken take(Instant at, String revision, String serverVersion) {
    if (!Files.isDirectory(dir)) {
      throw failed("the backup volume is not mounted at " + dir);
    }
    requireClientFor(serverVersion);
    String file = fileName(at, revision);
    Path target = dir.resolve(file);
    Path partial = dir.resolve("." + file + ".partial");
    removeStalePartials();
    try {
      console.progress("pg_dump of database " + libpq.get("PGDATABASE") + " to " + file);
      ToolResult dump =
          run(
              List.of(
                  "pg_dump", "--format=custom", "--no-password", "--file=" + partial.toString()));
      if (dump.exit() != 0) {
        throw failed(
            "pg_dump failed (a full or read-only volume ends here too): " + bounded(dump.output()));
      }
      long size = Files.size(partial);
      if (size == 0) {
        throw failed("pg_dump wrote an empty file");
      }
      ToolResult list = run(List.of("pg_restore", "--list", partial.toString()));
      if (list.exit() != 0) {
        throw failed(
            "the new dump cannot be read back by pg_restore --list: " + bounded(list.output()));
      }
      String dumped = dumpedDatabase(list.output()).orElse("");
      if (!dumped.equals(libpq.get("PGDATABASE"))) {
        throw failed(
            "the new dump is of database '" + dumped + "', not '" + libpq.get("PGDATABASE") + "'");
      }
      int entries = entries(list.output());
      move(partial, target);
      flush(target);
      console.progress(
          "backup " + file + " done and verified, " + size + " bytes, " + entries + " entries");
      return new Taken(file, size, entries);
    } catch (IOException e) {
      throw failed("cannot write the backup in " + dir + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // removed by the next backup of this prefix
      }
    }
  }

  /** pg_dump refuses a server newer than itself: say so before writing anything. */
  private void requireClientFor(String serverVersion) {
    ToolResult version;
    try {
      version = run(List.of("pg_dump", "--version"));
    } catch (IOException e) {
      throw failed("pg_dump is not available in this image: " + e.getMessage());
    }
    if (version.exit() != 0) {
      throw failed("pg_dump --version failed: " + bounded(version.output()));
    }
    Optional<Integer> client = clientMajor(version.output());
    Optional<Integer> server = major(serverVersion);
    if (client.isPresent() && server.isPresent() && client.get() < server.get()) {
      throw failed(
          "the PostgreSQL client in this image is version "
              + client.get()
              + ", older than the server ("
              + server.get()
              + "): pg_dump refuses to dump a newer server. Use a runner image whose client is "
              + server.get()
              + " or newer (Tidemark's base image carries the newest), or set spec.backup.image"
              + " to back up in a Job of its own");
    }
  }

  /** The major version in {@code pg_dump --version}'s output ("pg_dump (PostgreSQL) 17.2"). */
  static Optional<Integer> clientMajor(String versionOutput) {
    int at = versionOutput == null ? -1 : versionOutput.indexOf(')');
    return major(at < 0 ? versionOutput : versionOutput.substring(at + 1));
  }

  /** The first number in a version string ("17.2", "PostgreSQL 16.4 on ..."). */
  static Optional<Integer> major(String version) {
    if (version == null) {
      return Optional.empty();
    }
    Matcher m = MAJOR.matcher(version);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** The database named in {@code pg_restore --list}'s header ("; dbname: todo"). */
  static Optional<String> dumpedDatabase(String list) {
    for (String line : list.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith(";")) {
        String rest = trimmed.substring(1).strip();
        if (rest.startsWith("dbname:")) {
          return Optional.of(rest.substring("dbname:".length()).strip());
        }
      }
    }
    return Optional.empty();
  }

  /** The table of contents' entries ("123; 1259 16385 TABLE public todo owner"). */
  static int entries(String list) {
    int count = 0;
    for (String line : list.split("\n")) {
      if (line.matches("^[0-9]+;.*")) {
        count++;
      }
    }
    return count;
  }

  /**
   * The dumps pruning removes: of this prefix and Tidemark's exact pattern, not {@code newFile} nor
   * {@code protect}, beyond the newest {@code keep} (the new one counted), newest by the name's
   * time.
   */
  static List<String> toPrune(
      List<String> names, String prefix, String newFile, String protect, int keep) {
    Pattern ours = Pattern.compile(Pattern.quote(prefix) + AFTER_PREFIX);
    List<String[]> dumps = new ArrayList<>();
    for (String name : names) {
      Matcher m = ours.matcher(name);
      if (m.matches() && !name.equals(newFile) && !name.equals(protect)) {
        dumps.add(new String[] {m.group(1), name});
      }
    }
    dumps.sort(
        Comparator.<String[], String>comparing(d -> d[0]).thenComparing(d -> d[1]).reversed());
    List<String> prune = new ArrayList<>();
    for (int i = Math.max(0, keep - 1); i < dumps.size(); i++) {
      prune.add(dumps.get(i)[1]);
    }
    return prune;
  }

  /**
   * Removes the dumps of the prefix that {@code newFile} makes one too many. A folder that cannot
   * be read or a file that cannot be removed is said and left: the change is over, and the next
   * backup prunes again.
   */
  void pruneOlderThan(String newFile) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        if (Files.isRegularFile(p)) {
          names.add(p.getFileName().toString());
        }
      }
      for (String old : toPrune(names, prefix, newFile, protect, keep)) {
        console.progress("removing old backup " + old);
        Files.deleteIfExists(dir.resolve(old));
      }
    } catch (IOException e) {
      console.progress("older backups not pruned: " + e.getMessage());
    }
  }

  private void removeStalePartials() {
    Pattern stale =
        Pattern.compile("\\." + Pattern.quote(prefix) + AFTER_PREFIX + "\\.(partial|list)");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        if (stale.matcher(p.getFileName().toString()).matches()) {
          console.progress("removing " + p.getFileName() + ", left by a backup that was stopped");
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw failed("cannot read the backup volume " + dir + ": " + e.getMessage());
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private void flush(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw failed("cannot flush the new dump " + file.getFileName() + ": " + e.getMessage());
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // some file systems cannot open a folder for syncing; the file itself is flushed
    }
  }

  private ToolResult run(List<String> command) throws IOException {
    return tools.run(libpq, command);
  }

  private static String bounded(String output) {
    String text = output == null ? "" : output.strip();
    return text.length() > OUTPUT_LIMIT ? text.substring(0, OUTPUT_LIMIT) + "..." : text;
  }

  private static RunnerException failed(String message) {
    return new RunnerException(
        Reason.BackupFailed, message + "; no backup was kept and nothing was changed");
  }

  /** The tools of this machine (the image's PATH). */
  static final Tools HOST =
      (env, command) -> {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
          return new ToolResult(process.waitFor(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
          throw new IOException(command.get(0) + " was interrupted", e);
        }
      };
}
