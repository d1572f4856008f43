package io.tidemark.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.metrics.TidemarkMetrics;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.rollout.RolloutGuard;
import io.tidemark.operator.rollout.WorkloadInformers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The java-operator-sdk side of Tidemark: wires the informers for the Jobs and Pods Tidemark owns,
 * takes a {@link Snapshot} for each reconcile, runs the {@link Flow} on a copy of the status, and
 * patches the status only when the result is not {@code equals} to what the resource holds.
 *
 * <p>Not generation-aware: the retry annotation changes metadata without a new generation and must
 * trigger a reconcile. A reconcile that changes nothing writes nothing, so our own status patches
 * settle after one extra pass.
 */
@ControllerConfiguration(
    name = DatabaseSchemaReconciler.NAME,
    generationAwareEventProcessing = false,
    // Every resource is looked at every 10 minutes even when nothing happens (a Failed or Suspended
    // one
    // has no timer of its own), so "last successful reconcile" means the operator is alive for it.
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class DatabaseSchemaReconciler implements Reconciler<DatabaseSchema> {
  public static final String NAME = "databaseschema";
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseSchemaReconciler.class);
  private static final String MANAGED_SELECTOR =
      JobFactory.LABEL_MANAGED_BY + "=" + JobFactory.MANAGED_BY;

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final JobFactory jobFactory;
  private final EventRecorder events;
  private final TidemarkMetrics metrics;
  private final RolloutGuard rollouts;
  private final boolean watchRollouts;
  private final Clock clock = Clock.systemUTC();

  /**
   * Told of every Job we create, so the next reconcile sees it even before its watch event arrives.
   */
  private InformerEventSource<Job, DatabaseSchema> jobInformer;

  public DatabaseSchemaReconciler(
      KubernetesClient client, OperatorSettings settings, TidemarkMetrics metrics) {
    this.client = client;
    this.settings = settings;
    this.jobFactory = new JobFactory(settings.jobs());
    this.events = new EventRecorder(client);
    this.metrics = metrics;
    this.rollouts = new RolloutGuard();
    this.watchRollouts =
        switch (settings.argoRollouts()) {
          case ON -> true;
          case OFF -> false;
          case AUTO -> WorkloadInformers.rolloutsServed(client);
        };
  }

  @Override
  public List<EventSource<?, DatabaseSchema>> prepareEventSources(
      EventSourceContext<DatabaseSchema> context) {
    jobInformer =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, DatabaseSchema.class)
                .withName("jobs")
                .withLabelSelector(MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(bySchemaLabel())
                .withNamespacesInheritedFromController()
                .build(),
            context);
    // Pods too: a pod that cannot pull its image or find its Secret says so long before its Job
    // does.
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, DatabaseSchema.class)
                .withName("pods")
                .withLabelSelector(MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(bySchemaLabel())
                .withNamespacesInheritedFromController()
                .build(),
            context);
    context.getPrimaryCache().addIndexers(Map.of(DatabaseClaims.INDEX, DatabaseClaims::indexKeys));
    List<EventSource<?, DatabaseSchema>> sources =
        new java.util.ArrayList<>(List.of(jobInformer, pods));
    sources.addAll(WorkloadInformers.create(context, watchRollouts));
    return sources;
  }

  private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> bySchemaLabel() {
    return r -> {
      var labels = r.getMetadata().getLabels();
      String schema = labels == null ? null : labels.get(JobFactory.LABEL_SCHEMA);
      return schema == null
          ? Set.of()
          : Set.of(new ResourceID(schema, r.getMetadata().getNamespace()));
    };
  }

  @Override
  public UpdateControl<DatabaseSchema> reconcile(
      DatabaseSchema resource, Context<DatabaseSchema> context) {
    Snapshot snapshot =
        new Snapshot(
            resource,
            context.getSecondaryResources(Job.class),
            context.getSecondaryResources(Pod.class),
            sameDatabase(resource, context),
            clock);
    // The flow writes a copy; the resource stays as the cache holds it.
    DatabaseSchemaStatus before =
        resource.getStatus() == null ? new DatabaseSchemaStatus() : resource.getStatus();
    FlowContext flow =
        new FlowContext(snapshot, Serialization.clone(before), dependencies(context));

    Duration recheck = Flow.run(flow);
    DatabaseSchemaStatus after = flow.result();

    if (!after.equals(resource.getStatus())) {
      // Patched here and put in the SDK's cache, so that the next reconcile, however soon, sees
      // this status and does not harvest the same finished Job twice (which would repeat Events
      // and metrics).
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          resource,
          context,
          fresh -> {
            fresh.setStatus(after);
            return fresh;
          });
    }
    // After the patch: a reconcile whose patch failed (and is retried) did not succeed. A deleted
    // resource's series went on its delete event (TidemarkMetrics.operatorSdkMetrics()).
    metrics.observe(resource, after);
    UpdateControl<DatabaseSchema> control = UpdateControl.noUpdate();
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }

  /** The other resources that name the same database, from the primary cache's index. */
  private static List<DatabaseSchema> sameDatabase(
      DatabaseSchema resource, Context<DatabaseSchema> context) {
    return DatabaseClaims.indexKeys(resource).stream()
        .flatMap(key -> context.getPrimaryCache().byIndex(DatabaseClaims.INDEX, key).stream())
        .collect(Collectors.toList());
  }

  private FlowDependencies dependencies(Context<DatabaseSchema> context) {
    JobApi api =
        JobApi.of(
            client,
            job -> jobInformer.handleRecentResourceCreate(ResourceID.fromResource(job), job));
    return new FlowDependencies(
        api,
        jobFactory,
        events,
        metrics,
        settings,
        rollouts,
        WorkloadInformers.from(context, watchRollouts));
  }

  @Override
  public ErrorStatusUpdateControl<DatabaseSchema> updateErrorStatus(
      DatabaseSchema resource, Context<DatabaseSchema> context, Exception e) {
    // API errors (a conflict, the server away) are retried by the SDK with its backoff; say so in
    // the log
    // without dumping the resource, which could carry annotations users consider private.
    LOG.warn(
        "reconcile of {}/{} failed, will retry: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        e.toString());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
