package io.tidemark.operator.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Times read back from a stored status or a Job's status. Anyone with access to the status
 * subresource can write anything there, so an unreadable time is a value to fall back from, never
 * an exception that makes every reconcile of the resource throw.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The instant written as RFC 3339 text, or empty when it is missing or unreadable. */
  public static Optional<Instant> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The instant written, or the fallback when it is missing or unreadable. */
  public static Instant parseOr(String text, Instant fallback) {
    return parse(text).orElse(fallback);
  }
}
