package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.function.Consumer;

/** The three calls the flow makes to the API server about Jobs; a fake in the unit tests. */
interface JobApi {
  /**
   * Creates the Job; throws the API server's refusal (409 when it exists, 422 or 403 when refused).
   */
  Job create(Job job);

  /** Reads a Job the informer cache does not hold (yet): empty when it does not exist. */
  Optional<Job> get(String namespace, String name);

  /** Deletes the Job and, in the background, its Pods; a Job already gone is fine. */
  void delete(String namespace, String name);

  /**
   * The API server through fabric8; every Job created is handed to {@code created} (the informer's
   * cache), so that the next reconcile sees it even before its watch event arrives.
   */
  static JobApi of(KubernetesClient client, Consumer<Job> created) {
    return new JobApi() {
      @Override
      public Job create(Job job) {
        Job made =
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(job.getMetadata().getNamespace())
                .resource(job)
                .create();
        created.accept(made);
        return made;
      }

      @Override
      public Optional<Job> get(String namespace, String name) {
        return Optional.ofNullable(
            client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
      }

      @Override
      public void delete(String namespace, String name) {
        try {
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withName(name)
              .withPropagationPolicy(DeletionPropagation.BACKGROUND)
              .delete();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
    };
  }
}
