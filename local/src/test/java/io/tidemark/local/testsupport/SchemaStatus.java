package io.tidemark.local.testsupport;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Reading a DatabaseSchema's status, and waiting for it. */
public final class SchemaStatus {
  private SchemaStatus() {}

  /** Whether the resource has a status written for its current generation. */
  public static boolean isCurrent(DatabaseSchema r) {
    return r != null
        && r.getStatus() != null
        && r.getMetadata().getGeneration() != null
        && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
  }

  /** Current and Ready. */
  public static boolean isReady(DatabaseSchema r) {
    return isCurrent(r) && r.getStatus().getPhase() == Phase.Ready;
  }

  /**
   * Waits until the status is current for the generation and matches; the resource as it is then.
   */
  public static DatabaseSchema awaitStatus(
      Resource<DatabaseSchema> resource,
      Duration atMost,
      Duration pollInterval,
      Predicate<DatabaseSchema> condition) {
    await()
        .atMost(atMost)
        .pollInterval(pollInterval)
        .ignoreExceptions()
        .until(
            () -> {
              DatabaseSchema r = resource.get();
              return isCurrent(r) && condition.test(r);
            });
    return resource.get();
  }

  /** Ready at the revision. */
  public static Predicate<DatabaseSchema> readyAt(String revision) {
    return r ->
        r.getStatus().getPhase() == Phase.Ready
            && revision.equals(r.getStatus().getCurrentRevision());
  }

  /** Ready at the revision, with the rollout after the change to it watched. */
  public static Predicate<DatabaseSchema> readyAndWatchedAt(String revision) {
    return r ->
        readyAt(revision).test(r)
            && r.getStatus().getRolloutWatch() != null
            && revision.equals(r.getStatus().getRolloutWatch().getTo());
  }

  public static Optional<Condition> condition(DatabaseSchema r, String type) {
    return r.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
