package io.tidemark.operator.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic Job names. A name is derived from the resource's uid and what the Job is for, so
 * that an operator restarted at any point computes the same name again, finds the Job in flight (or
 * gets a conflict when creating it) and never runs a step twice.
 */
public final class JobNames {
  /** Job names end up in the {@code job-name} label of their pods: 63 characters at most. */
  static final int MAX_LENGTH = 63;

  private static final int HASH_LENGTH = 10;
  private static final int PREFIX_LENGTH = MAX_LENGTH - 1 - 7 - 1 - HASH_LENGTH;

  private JobNames() {}

  /** {@code <resource>-<step>-<hash of uid and parts>}. */
  public static String of(String resourceName, String resourceUid, Step step, String... parts) {
    String prefix =
        resourceName.length() > PREFIX_LENGTH
            ? resourceName.substring(0, PREFIX_LENGTH)
            : resourceName;
    prefix = prefix.replaceAll("[^a-z0-9]+$", "");
    return prefix + "-" + step.label() + "-" + hash(resourceUid, parts);
  }

  /** A short, stable digest of any text (for bookkeeping values that must stay small). */
  public static String shortHash(String text) {
    return hash("", text);
  }

  static String hash(String uid, String... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(uid.getBytes(StandardCharsets.UTF_8));
      for (String part : parts) {
        digest.update((byte) 0);
        digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
