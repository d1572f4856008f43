package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The migration chain in --location: V<version>__<desc>.sql scripts that Flyway applies, the
 * U<version>__<desc>.sql scripts that undo them (same folder; Flyway's free edition ignores U
 * files), and the optional {@code .sql.conf} script config files. Scanned recursively, as Flyway's
 * filesystem location is.
 */
public final class MigrationScripts {
  private static final Pattern SCRIPT_NAME =
      Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.*)\\.sql");

  /** A name that means to be a migration but is not one (V1_x.sql, v2__x.sql, V3a__x.sql). */
  private static final Pattern NEAR_MISS = Pattern.compile("(?i)[VU]\\d.*\\.sql");

  private final Path location;
  private final TreeMap<MigrationVersion, ImageRevision> revisions;
  private final List<Path> files;

  private final List<Script> orphanUndos;

  private MigrationScripts(
      Path location,
      TreeMap<MigrationVersion, ImageRevision> revisions,
      List<Path> files,
      List<Script> orphanUndos) {
    this.location = location;
    this.revisions = revisions;
    this.files = files;
    this.orphanUndos = orphanUndos;
  }

  /**
   * U scripts whose revision has no V script: a typo in a name, or a V script deleted by mistake.
   */
  public List<Script> orphanUndos() {
    return orphanUndos;
  }

  /** The kubelet's link to the current contents of a ConfigMap or Secret volume. */
  static final String KUBELET_DATA = "..data";

  public static MigrationScripts scan(Path location) {
    return scan(location, null);
  }

  /**
   * The folder's scripts. {@code source} says where they come from when that is not the image (the
   * operator passes "ConfigMap NAME"), for the message when there are none.
   *
   * <p>A ConfigMap mounted by the kubelet is a folder of links ({@code V1__x.sql ->
   * ..data/V1__x.sql}) to a hidden timestamped folder, {@code ..data} pointing at it: walking the
   * folder would find every script twice. The scripts are read from {@code ..data} itself, which
   * holds each once, and so does Flyway.
   */
  public static MigrationScripts scan(Path location, String source) {
    if (Files.isDirectory(location.resolve(KUBELET_DATA))) {
      try {
        // The folder the link points at: a walk does not follow a link it starts from.
        location = location.resolve(KUBELET_DATA).toRealPath();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot follow " + location.resolve(KUBELET_DATA), e);
      }
    }
    String where = source == null ? location.toString() : source + " (mounted at " + location + ")";
    if (!Files.isDirectory(location)) {
      throw new RunnerException(
          Reason.NoMigrations, "migrations folder " + location + " does not exist");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(location)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + location, e);
    }
    Map<MigrationVersion, Script> ups = new TreeMap<>();
    Map<MigrationVersion, Script> undos = new TreeMap<>();
    List<String> misnamed = new ArrayList<>();
    for (Path file : files) {
      Matcher m = SCRIPT_NAME.matcher(file.getFileName().toString());
      if (!m.matches()) {
        if (NEAR_MISS.matcher(file.getFileName().toString()).matches()) {
          misnamed.add(file.getFileName().toString());
        }
        continue;
      }
      MigrationVersion version = MigrationVersion.fromVersion(m.group(2).replace('_', '.'));
      Script script =
          new Script(file, version, m.group(3).replace('_', ' '), isTransactional(file));
      Map<MigrationVersion, Script> target = m.group(1).equals("V") ? ups : undos;
      Script previous = target.put(version, script);
      if (previous != null) {
        throw new RunnerException(
            Reason.InvalidArgument,
            "two scripts for revision "
                + Revisions.label(version)
                + ": "
                + previous.fileName()
                + " and "
                + script.fileName());
      }
    }
    if (!misnamed.isEmpty()) {
      // A script that would silently not run: a single underscore, a lower-case v, a letter in
      // the version. Refused before anything runs, whatever else the folder holds.
      throw new RunnerException(
          Reason.InvalidArgument,
          "files in "
              + where
              + " look like migrations but are not named V<version>__<description>.sql or"
              + " U<version>__<description>.sql (upper-case V or U, digits separated by . or _,"
              + " two underscores): "
              + String.join(", ", misnamed)
              + "; rename them, or keep them out of the migrations");
    }
    if (ups.isEmpty()) {
      throw new RunnerException(
          Reason.NoMigrations,
          "no V<version>__<description>.sql scripts in "
              + where
              + (source == null ? "" : ": check that it exists in this namespace and its keys"));
    }
    TreeMap<MigrationVersion, ImageRevision> revisions = new TreeMap<>();
    ups.forEach((v, up) -> revisions.put(v, new ImageRevision(v, up, undos.get(v))));
    List<Script> orphans =
        undos.entrySet().stream()
            .filter(e -> !ups.containsKey(e.getKey()))
            .map(Map.Entry::getValue)
            .toList();
    return new MigrationScripts(location, revisions, files, orphans);
  }

  /**
   * Whether the script runs in a transaction: as executeInTransaction in the Flyway script config
   * file beside it says ({@code <name>.conf}, a properties file); without one, as Flyway decides
   * for PostgreSQL: not when a statement cannot run in a transaction block (CREATE or DROP INDEX
   * CONCURRENTLY and the like), so that a U script undoing such a V script runs the same way.
   */
  static boolean isTransactional(Path script) {
    Path conf = script.resolveSibling(script.getFileName() + ".conf");
    try {
      if (Files.isRegularFile(conf)) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
          properties.load(reader);
        }
        String value = properties.getProperty("executeInTransaction");
        if (value != null) {
          return !value.trim().equalsIgnoreCase("false");
        }
      }
      return TransactionControl.canRunInTransaction(
          Files.readString(script, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + (Files.isRegularFile(conf) ? conf : script), e);
    }
  }

  public Path location() {
    return location;
  }

  /** All revisions, oldest first. */
  public List<ImageRevision> revisions() {
    return new ArrayList<>(revisions.values());
  }

  public Optional<ImageRevision> find(MigrationVersion version) {
    return Optional.ofNullable(revisions.get(version));
  }

  public MigrationVersion latest() {
    return revisions.lastKey();
  }

  /** The labels of all revisions, oldest first, for messages listing what is available. */
  public List<String> labels() {
    return revisions.keySet().stream().map(Revisions::label).toList();
  }

  /**
   * sha256 over every file in the location (relative path and content, in path order), so that any
   * change to a script, an undo script or a config file changes the digest.
   */
  public String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        sha.update(
            location
                .relativize(file)
                .toString()
                .replace('\\', '/')
                .getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(file));
        sha.update((byte) 0);
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migrations in " + location, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
