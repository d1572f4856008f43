package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tidemark.operator.model.DatabaseSchema;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events about a DatabaseSchema, so `kubectl describe` tells its story. */
class EventRecorder implements Events {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "tidemark-operator";

  private final KubernetesClient client;

  EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void normal(DatabaseSchema resource, Reason reason, String message) {
    record(resource, "Normal", reason.value(), message);
  }

  @Override
  public void warning(DatabaseSchema resource, Reason reason, String message) {
    record(resource, "Warning", reason.value(), message);
  }

  private void record(DatabaseSchema resource, String type, String reason, String message) {
    String namespace = resource.getMetadata().getNamespace();
    String now = Instant.now().toString();
    String text = Messages.bounded(message);
    LOG.info("{} {}/{} {}: {}", type, namespace, resource.getMetadata().getName(), reason, text);
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      resource.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(resource.getApiVersion())
                          .withKind(resource.getKind())
                          .withName(resource.getMetadata().getName())
                          .withNamespace(namespace)
                          .withUid(resource.getMetadata().getUid())
                          .withResourceVersion(resource.getMetadata().getResourceVersion())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(text)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource(COMPONENT, null)
                  .withReportingComponent(COMPONENT)
                  .build())
          .create();
    } catch (RuntimeException e) {
      // An Event is a courtesy; failing to write one must not fail the reconcile.
      LOG.warn(
          "could not record Event {} for {}/{}: {}",
          reason,
          namespace,
          resource.getMetadata().getName(),
          e.getMessage());
    }
  }
}
