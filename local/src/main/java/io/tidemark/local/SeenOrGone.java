package io.tidemark.local;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * An informer handler that hands every added or updated object to {@code seen} and every deleted
 * one to {@code gone}: how {@link LocalJobExecutor} watches Jobs and {@link LocalKubelet} Pods.
 */
final class SeenOrGone<T> implements ResourceEventHandler<T> {
  private final Consumer<T> seen;
  private final Consumer<T> gone;

  SeenOrGone(Consumer<T> seen, Consumer<T> gone) {
    this.seen = seen;
    this.gone = gone;
  }

  @Override
  public void onAdd(T obj) {
    seen.accept(obj);
  }

  @Override
  public void onUpdate(T oldObj, T newObj) {
    seen.accept(newObj);
  }

  @Override
  public void onDelete(T obj, boolean deletedFinalStateUnknown) {
    gone.accept(obj);
  }
}
