package io.tidemark.migrate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from every text the runner emits (stdout, stderr, report, Flyway's log). Known
 * secrets are replaced wherever they occur; password-looking URL parts are masked even when their
 * value is not known, e.g. a driver echoing a URL back.
 */
public final class Redactor {
  static final String MASK = "******";

  /** Secrets at least this long are masked wherever they occur. */
  static final int MIN_LITERAL = 4;

  private static final Pattern URL_PASSWORD_PARAM =
      Pattern.compile("(?i)(password\\s*=\\s*)[^&;\\s,)\"']*");
  private static final Pattern URL_USERINFO = Pattern.compile("(://[^/:@\\s]+:)[^@/\\s]+@");

  private final List<String> secrets;

  public Redactor(Collection<String> secrets) {
    List<String> all = new ArrayList<>();
    for (String secret : secrets) {
      // A secret shorter than MIN_LITERAL would mask every "1" or "ab" in every message, and is
      // no secret worth the name; it is still masked where a password stands (URL, password=).
      if (secret == null || secret.length() < MIN_LITERAL) {
        continue;
      }
      all.add(secret);
      String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
      if (!encoded.equals(secret)) {
        all.add(encoded);
      }
    }
    // Longest first, so that a secret containing another is masked whole.
    all.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(all);
  }

  public static Redactor none() {
    return new Redactor(List.of());
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    result = URL_PASSWORD_PARAM.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    result = URL_USERINFO.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    return result;
  }

  /** Secrets found in the raw arguments and environment, before anything is validated. */
  public static Redactor forInputs(java.util.List<String> args, java.util.Map<String, String> env) {
    List<String> found = new ArrayList<>();
    found.add(env.get("PGPASSWORD"));
    found.add(RunnerCommandLine.lenientValue(args, "--password"));
    String url = RunnerCommandLine.lenientValue(args, "--url");
    if (url != null) {
      found.addAll(passwordsInUrl(url));
    }
    found.removeIf(Objects::isNull);
    return new Redactor(found);
  }

  static List<String> passwordsInUrl(String url) {
    List<String> found = new ArrayList<>();
    Matcher param = Pattern.compile("(?i)password=([^&]*)").matcher(url);
    while (param.find()) {
      found.add(param.group(1));
      found.add(java.net.URLDecoder.decode(param.group(1), StandardCharsets.UTF_8));
    }
    Matcher userInfo = Pattern.compile("://[^/:@]+:([^@/]+)@").matcher(url);
    if (userInfo.find()) {
      found.add(userInfo.group(1));
    }
    return found;
  }
}
