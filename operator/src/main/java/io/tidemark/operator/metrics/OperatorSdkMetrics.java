package io.tidemark.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * java-operator-sdk's Micrometer metrics without per-resource series (per controller only), plus
 * the one per-resource event Tidemark needs from the SDK: a resource's delete. Without a finalizer
 * the reconciler is not called on a delete, but the SDK's event processor calls {@link
 * #cleanupDoneFor} when the delete event arrives (after the reconcile in flight, if any).
 */
final class OperatorSdkMetrics implements Metrics {
  private final Metrics sdk;
  private final TidemarkMetrics tidemark;

  OperatorSdkMetrics(TidemarkMetrics tidemark) {
    this.tidemark = tidemark;
    this.sdk =
        MicrometerMetrics.newMicrometerMetricsBuilder(tidemark.registry())
            .notCollectingMetricsPerResource()
            .build();
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceId, Map<String, Object> metadata) {
    sdk.cleanupDoneFor(resourceId, metadata);
    tidemark.forget(resourceId.getNamespace().orElse(""), resourceId.getName());
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    sdk.controllerRegistered(controller);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    sdk.receivedEvent(event, metadata);
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    sdk.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    sdk.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    sdk.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    sdk.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    sdk.finishedReconciliation(resource, metadata);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return sdk.timeControllerExecution(execution);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return sdk.monitorSizeOf(map, name);
  }
}
