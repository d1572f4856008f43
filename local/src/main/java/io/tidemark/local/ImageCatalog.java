package io.tidemark.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The local executor's "registry": which images exist and what each stands for. An image that is
 * not here cannot be pulled, and its Pod stays {@code Pending} with {@code ErrImagePull} / {@code
 * ImagePullBackOff}, as in a cluster.
 *
 * <p>Entries are exact references ({@code registry.example.com/todo-migrations:1.7.0}) or patterns
 * where {@code *} matches any run of characters ({@code postgres:*}). An exact entry wins over a
 * pattern; patterns are tried in the order they were added. References are compared after dropping
 * Docker Hub's implicit prefixes ({@code docker.io/library/postgres:16} is {@code postgres:16}).
 * The catalog is thread-safe and may change while the executor runs: a Pod waiting for an unknown
 * image starts at its next pull retry once the image is added.
 */
public final class ImageCatalog {
  private final Map<String, LocalImage> exact = new ConcurrentHashMap<>();
  private final List<PatternEntry> patterns = new CopyOnWriteArrayList<>();

  private record PatternEntry(String pattern, Pattern regex, LocalImage image) {}

  /** An empty catalog: every image is unknown. */
  public static ImageCatalog empty() {
    return new ImageCatalog();
  }

  /**
   * A catalog where the images Tidemark uses for backups and restores ({@code postgres:<tag>}, in
   * any registry) are the host's tools.
   */
  public static ImageCatalog withPostgresTools() {
    return empty().add("postgres:*", ToolsImage.HOST).add("*/postgres:*", ToolsImage.HOST);
  }

  /** Adds (or replaces) an image reference or a {@code *} pattern. */
  public ImageCatalog add(String imageOrPattern, LocalImage image) {
    Objects.requireNonNull(image, "image");
    String key = normalize(Objects.requireNonNull(imageOrPattern, "imageOrPattern"));
    if (key.contains("*")) {
      patterns.removeIf(p -> p.pattern.equals(key));
      patterns.add(new PatternEntry(key, globToRegex(key), image));
    } else {
      exact.put(key, image);
    }
    return this;
  }

  /** Shorthand for {@code add(image, new RunnerImage(migrationsDir))}. */
  public ImageCatalog addRunner(String imageOrPattern, Path migrationsDir) {
    return add(imageOrPattern, new RunnerImage(migrationsDir));
  }

  /** Shorthand for {@code add(imageOrPattern, ToolsImage.HOST)}. */
  public ImageCatalog addTools(String imageOrPattern) {
    return add(imageOrPattern, ToolsImage.HOST);
  }

  /** Removes an exact reference or a pattern, e.g. to make a test's image unpullable. */
  public ImageCatalog remove(String imageOrPattern) {
    String key = normalize(imageOrPattern);
    exact.remove(key);
    patterns.removeIf(p -> p.pattern.equals(key));
    return this;
  }

  /** What {@code image} stands for, or empty when it cannot be pulled. */
  public Optional<LocalImage> lookup(String image) {
    if (image == null || image.isBlank()) {
      return Optional.empty();
    }
    String key = normalize(image);
    LocalImage found = exact.get(key);
    if (found != null) {
      return Optional.of(found);
    }
    for (PatternEntry entry : patterns) {
      if (entry.regex.matcher(key).matches()) {
        return Optional.of(entry.image);
      }
    }
    return Optional.empty();
  }

  /** The entries, for diagnostics. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    exact.forEach((k, v) -> lines.add(k + " -> " + v));
    patterns.forEach(p -> lines.add(p.pattern + " -> " + p.image));
    return lines;
  }

  static String normalize(String image) {
    String s = image.trim();
    for (String prefix : List.of("docker.io/library/", "index.docker.io/library/", "docker.io/")) {
      if (s.startsWith(prefix)) {
        s = s.substring(prefix.length());
        break;
      }
    }
    return s;
  }

  private static Pattern globToRegex(String glob) {
    // Every boundary between the parts split off was a '*'.
    String[] parts = glob.split("\\*", -1);
    StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
    for (int i = 1; i < parts.length; i++) {
      regex.append(".*").append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }
}
