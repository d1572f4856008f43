package io.tidemark.operator.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.OnFailedRollout;
import io.tidemark.operator.model.WorkloadRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on the workloads that DatabaseSchemas name in {@code spec.rollback.onFailedRollout}: a
 * change in a Deployment, StatefulSet or Argo Rollout reconciles exactly the resources that watch
 * it (an index on the primary cache maps one to the other), so failed rollouts are seen as they
 * happen, without polling. Argo Rollouts are read as generic resources, and only when the cluster
 * serves argoproj.io/v1alpha1 (no compile-time dependency, no failure where it is absent).
 */
public final class WorkloadInformers {
  public static final GroupVersionKind ROLLOUT =
      new GroupVersionKind("argoproj.io", "v1alpha1", "Rollout");
  static final String INDEX = "tidemark-watched-workloads";
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadInformers.class);

  private WorkloadInformers() {}

  /** Whether the cluster serves Argo Rollouts (discovery, which needs no extra permission). */
  public static boolean rolloutsServed(KubernetesClient client) {
    try {
      return client.supports(ROLLOUT.apiVersion(), ROLLOUT.getKind());
    } catch (RuntimeException e) {
      LOG.warn(
          "could not discover argoproj.io/v1alpha1 Rollouts, not watching them: {}",
          e.getMessage());
      return false;
    }
  }

  public static List<EventSource<?, DatabaseSchema>> create(
      EventSourceContext<DatabaseSchema> context, boolean watchRollouts) {
    context.getPrimaryCache().addIndexers(Map.of(INDEX, WorkloadInformers::keysOf));
    List<EventSource<?, DatabaseSchema>> sources = new ArrayList<>();
    sources.add(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Deployment.class, DatabaseSchema.class)
                .withName("deployments")
                .withSecondaryToPrimaryMapper(d -> watchers(context, "Deployment", d))
                .withPrimaryToSecondaryMapper((DatabaseSchema p) -> watched(p, "Deployment"))
                .withNamespacesInheritedFromController()
                .build(),
            context));
    sources.add(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(StatefulSet.class, DatabaseSchema.class)
                .withName("statefulsets")
                .withSecondaryToPrimaryMapper(s -> watchers(context, "StatefulSet", s))
                .withPrimaryToSecondaryMapper((DatabaseSchema p) -> watched(p, "StatefulSet"))
                .withNamespacesInheritedFromController()
                .build(),
            context));
    if (watchRollouts) {
      sources.add(
          new InformerEventSource<>(
              InformerEventSourceConfiguration.from(ROLLOUT, DatabaseSchema.class)
                  .withName("rollouts")
                  .withSecondaryToPrimaryMapper(r -> watchers(context, "Rollout", r))
                  .withPrimaryToSecondaryMapper((DatabaseSchema p) -> watched(p, "Rollout"))
                  .withNamespacesInheritedFromController()
                  .build(),
              context));
    }
    return sources;
  }

  /** The workloads as the reconcile sees them, from the informers' caches. */
  public static Workloads from(Context<DatabaseSchema> context, boolean watchRollouts) {
    return (namespace, ref) -> {
      switch (ref.getKind()) {
        case Deployment:
          return find(context.getSecondaryResources(Deployment.class), namespace, ref.getName())
              .map(WorkloadState::of);
        case StatefulSet:
          return find(context.getSecondaryResources(StatefulSet.class), namespace, ref.getName())
              .map(WorkloadState::of);
        case Rollout:
          if (!watchRollouts) {
            return Optional.empty();
          }
          return find(
                  context.getSecondaryResources(GenericKubernetesResource.class),
                  namespace,
                  ref.getName())
              .filter(r -> "Rollout".equals(r.getKind()))
              .map(WorkloadState::ofRollout);
        default:
          return Optional.empty();
      }
    };
  }

  private static <R extends HasMetadata> Optional<R> find(
      Set<R> resources, String namespace, String name) {
    return resources.stream()
        .filter(
            r ->
                name.equals(r.getMetadata().getName())
                    && namespace.equals(r.getMetadata().getNamespace()))
        .findFirst();
  }

  private static Set<ResourceID> watchers(
      EventSourceContext<DatabaseSchema> context, String kind, HasMetadata workload) {
    String key = key(workload.getMetadata().getNamespace(), kind, workload.getMetadata().getName());
    return context.getPrimaryCache().byIndex(INDEX, key).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static Set<ResourceID> watched(DatabaseSchema primary, String kind) {
    OnFailedRollout onFailed = RolloutGuard.onFailedRollout(primary);
    if (onFailed == null || onFailed.getWorkloads() == null) {
      return Set.of();
    }
    return onFailed.getWorkloads().stream()
        .filter(
            w ->
                w != null
                    && w.getKind() != null
                    && kind.equals(w.getKind().name())
                    && w.getName() != null)
        .map(w -> new ResourceID(w.getName(), primary.getMetadata().getNamespace()))
        .collect(Collectors.toSet());
  }

  private static List<String> keysOf(DatabaseSchema primary) {
    if (primary.getSpec() == null) {
      return List.of();
    }
    OnFailedRollout onFailed = RolloutGuard.onFailedRollout(primary);
    if (onFailed == null || onFailed.getWorkloads() == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (WorkloadRef w : onFailed.getWorkloads()) {
      if (w != null && w.getKind() != null && w.getName() != null) {
        keys.add(key(primary.getMetadata().getNamespace(), w.getKind().name(), w.getName()));
      }
    }
    return keys;
  }

  private static String key(String namespace, String kind, String name) {
    return namespace + "/" + kind + "/" + name;
  }
}
