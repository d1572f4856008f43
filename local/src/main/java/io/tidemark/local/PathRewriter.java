package io.tidemark.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates paths as the container sees them into the host folders that stand for them, since a
 * local process has no mount namespace.
 *
 * <p>The rule, applied exactly once to every command element, argument and environment value: each
 * occurrence of a mount path that stands as a path is replaced by its local folder. A mount path
 * stands as a path when
 *
 * <ul>
 *   <li>it starts the value or follows one of {@code = : " ' < > ( , ; | &} or whitespace, and
 *   <li>it ends the value or is followed by {@code /} or one of {@code : " ' < > ) , ; | &} or
 *       whitespace.
 * </ul>
 *
 * So a value that equals a mount path or starts with one ({@code /migrations/V1__a.sql}), one where
 * it follows {@code =} ({@code --location=/migrations}) or a URL scheme ({@code
 * filesystem:/migrations}), and a path inside a shell script ({@code echo ok >
 * /dev/termination-log}) are all rewritten, while {@code /migrationsX}, {@code /srv/migrations} or
 * {@code http://host/migrations} are not. When mounts nest ({@code /data} and {@code /data/cache})
 * the longest matching mount path wins. A mount at {@code /} is ignored: it would capture every
 * absolute path of the host.
 */
final class PathRewriter {
  private static final String BEFORE = "\\s=:\"'<>(,;|&";
  private static final String AFTER = "/\\s:\"'<>),;|&";

  private final Map<String, Path> mounts;
  private final Pattern pattern;

  /**
   * @param mounts container path to host path; later entries replace earlier ones
   */
  PathRewriter(Map<String, Path> mounts) {
    Map<String, Path> cleaned = new LinkedHashMap<>();
    mounts.forEach(
        (containerPath, local) -> {
          String p = trimTrailingSlash(containerPath);
          if (!p.isEmpty() && p.startsWith("/")) {
            cleaned.put(p, local);
          }
        });
    this.mounts = Map.copyOf(cleaned);
    List<String> longestFirst = new ArrayList<>(cleaned.keySet());
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    this.pattern =
        longestFirst.isEmpty()
            ? null
            : Pattern.compile(
                "(?<![^"
                    + BEFORE
                    + "])("
                    + String.join("|", longestFirst.stream().map(Pattern::quote).toList())
                    + ")(?![^"
                    + AFTER
                    + "])");
  }

  String rewrite(String value) {
    if (value == null || pattern == null || value.indexOf('/') < 0) {
      return value;
    }
    Matcher m = pattern.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(mounts.get(m.group(1)).toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  List<String> rewriteAll(List<String> values) {
    List<String> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(rewrite(v)));
    return out;
  }

  private static String trimTrailingSlash(String p) {
    String s = p == null ? "" : p.trim();
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.equals("/") ? "" : s;
  }
}
