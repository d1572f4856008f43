package io.tidemark.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;

/**
 * Writes the status subresource with optimistic locking: the change is first applied to the copy
 * the caller last saw, and on a conflict (someone else wrote the object) to a fresh read. Plain
 * {@code PUT .../status}, which the fabric8 mock API server in CRUD mode supports for built-in
 * kinds, and no server-side apply, which it does not.
 */
final class StatusUpdates {
  private static final int MAX_ATTEMPTS = 20;
  private final KubernetesClient client;

  StatusUpdates(KubernetesClient client) {
    this.client = client;
  }

  /** The object as written, or null when it no longer exists. */
  <T extends HasMetadata> T update(T lastSeen, Consumer<T> change) {
    T base = client.getKubernetesSerialization().clone(lastSeen);
    for (int attempt = 1; ; attempt++) {
      change.accept(base);
      try {
        return client.resource(base).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
      base = client.resource(lastSeen).get();
      if (base == null) {
        return null;
      }
    }
  }
}
