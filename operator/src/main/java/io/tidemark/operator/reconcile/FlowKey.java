package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.JobNames;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import java.util.Optional;

/**
 * What a flow is for. It changes with a new generation, a new retry annotation value, a new attempt
 * after a transient failure, and a new change of revision (the newest history entry's Job); each
 * change starts a new plan, and every Job name of the flow derives from it.
 *
 * <p>Stored in the status (lastPlan.epoch, lastFailure.epoch, rolloutWatch.heldFor) as {@code
 * g<generation>|r<retry hash>|a<attempt>|c<last change>}, the text earlier versions wrote.
 *
 * @param retry a short hash of the retry annotation's value ("" without one): the value is any text
 * @param lastChange the Job of the newest history entry ("" without one)
 */
record FlowKey(long generation, String retry, int attempt, String lastChange) {

  /** The key of the flow the resource is in now. */
  static FlowKey of(DatabaseSchema resource, DatabaseSchemaStatus status) {
    Long generation = resource.getMetadata().getGeneration();
    var annotations = resource.getMetadata().getAnnotations();
    String retry =
        annotations == null ? "" : annotations.getOrDefault(DatabaseSchema.RETRY_ANNOTATION, "");
    String lastChange =
        status.getHistory() == null || status.getHistory().isEmpty()
            ? ""
            : String.valueOf(status.getHistory().get(0).getJob());
    return new FlowKey(
        generation == null ? 0 : generation,
        retry.isEmpty() ? "" : JobNames.shortHash(retry),
        status.getAttempt() == null ? 0 : status.getAttempt(),
        lastChange);
  }

  /** The stored text; empty for null or text that is not a key (then nothing matches it). */
  static Optional<FlowKey> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.split("\\|", 4);
    if (parts.length != 4
        || !parts[0].startsWith("g")
        || !parts[1].startsWith("r")
        || !parts[2].startsWith("a")
        || !parts[3].startsWith("c")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new FlowKey(
              Long.parseLong(parts[0].substring(1)),
              parts[1].substring(1),
              Integer.parseInt(parts[2].substring(1)),
              parts[3].substring(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The text stored in the status. */
  String text() {
    return "g" + generation + "|r" + retry + "|a" + attempt + "|c" + lastChange;
  }

  /** Whether {@code stored} (a key as the status holds it) is this key. */
  boolean is(String stored) {
    return text().equals(stored);
  }

  /**
   * Both flows belong to the same metadata.generation (they may differ in retry value or attempt).
   */
  boolean sameGeneration(String stored) {
    return parse(stored).map(k -> k.generation == generation).orElse(false);
  }

  /**
   * A new generation or retry value since the flow {@code stored}: the person has seen what
   * happened there and decided to go on. True when nothing was stored.
   */
  boolean acknowledges(String stored) {
    if (stored == null) {
      return true;
    }
    return parse(stored)
        .map(k -> k.generation != generation || !k.retry.equals(retry))
        .orElse(true);
  }
}
