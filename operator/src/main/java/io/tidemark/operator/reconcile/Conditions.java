package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes-style conditions: lastTransitionTime moves only when the status flips, so that a
 * reconcile that changes nothing writes nothing.
 */
final class Conditions {
  static final String READY = "Ready";
  static final String PROGRESSING = "Progressing";
  static final String DEGRADED = "Degraded";
  static final String DRIFTED = "Drifted";

  private Conditions() {}

  static void set(
      DatabaseSchemaStatus status,
      String type,
      boolean value,
      String reason,
      String message,
      Long generation,
      Instant now) {
    String newStatus = value ? "True" : "False";
    Optional<Condition> existing = get(status, type);
    String transition =
        existing
            .filter(c -> newStatus.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.toString());
    Condition condition =
        new ConditionBuilder()
            .withType(type)
            .withStatus(newStatus)
            .withReason(reason)
            .withMessage(message == null ? "" : Messages.bounded(message))
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build();
    status.getConditions().removeIf(c -> type.equals(c.getType()));
    status.getConditions().add(condition);
    status.getConditions().sort((a, b) -> Integer.compare(order(a.getType()), order(b.getType())));
  }

  static Optional<Condition> get(DatabaseSchemaStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Same status, reason and message: an Event about it would repeat itself. */
  static boolean same(Condition a, Condition b) {
    return a != null
        && b != null
        && Objects.equals(a.getStatus(), b.getStatus())
        && Objects.equals(a.getReason(), b.getReason())
        && Objects.equals(a.getMessage(), b.getMessage());
  }

  private static int order(String type) {
    switch (type) {
      case READY:
        return 0;
      case PROGRESSING:
        return 1;
      case DEGRADED:
        return 2;
      case DRIFTED:
        return 3;
      default:
        return 4;
    }
  }
}
