package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.tidemark.local.testsupport.Manifests;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import io.tidemark.operator.model.RollbackSpec;
import io.tidemark.operator.model.WorkloadRef;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * StatefulSets and Argo Rollouts (read without a compile-time dependency) as the watched
 * application.
 */
class WorkloadKindsIT extends E2eTestBase {
  static final ResourceDefinitionContext ROLLOUTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("argoproj.io")
          .withVersion("v1alpha1")
          .withKind("Rollout")
          .withPlural("rollouts")
          .withNamespaced(true)
          .build();

  @BeforeAll
  static void serveArgoRollouts() {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("rollouts.argoproj.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("argoproj.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Rollout")
                .withPlural("rollouts")
                .withSingular("rollout")
                .endNames()
                .addNewVersion()
                .withName("v1alpha1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .withNewSubresources()
                .withNewStatus()
                .endStatus()
                .endSubresources()
                .endVersion()
                .endSpec()
                .build())
        .create();
    // The mock API server serves no discovery for custom resources, so auto-detection would say no:
    // switch the Rollout informer on as TIDEMARK_ARGO_ROLLOUTS=on does.
    cluster.stopOperator();
    cluster.startOperator(settings().withArgoRollouts(OperatorSettings.ArgoRollouts.ON));
  }

  @Test
  void aStatefulSetNotAvailableAtTheEndOfTheWindowRollsTheSchemaBack() throws Exception {
    String ns = newNamespaceWithDatabase();
    StatefulSet sts =
        client
            .resource(
                new StatefulSetBuilder()
                    .withNewMetadata()
                    .withName("shop-worker")
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(2)
                    .withServiceName("shop-worker")
                    .withNewSelector()
                    .addToMatchLabels("app", "shop-worker")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "shop-worker")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("worker")
                    .withImage("registry.example.com/worker:1")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    setReady(ns, sts, 2);
    create(
        watching(
            schema(ns, "shop", FIXED_IMAGE, "2"),
            WorkloadRef.WorkloadKind.StatefulSet,
            "shop-worker",
            "4s"));
    awaitReadyAt(ns, "shop", "2");
    edit(ns, "shop", x -> x.getSpec().setTargetRevision("3"));
    awaitReadyAt(ns, "shop", "3");

    // One of two replicas stops being ready and stays so until the window ends.
    setReady(ns, sts, 1);

    DatabaseSchema r = awaitPhase(ns, "shop", Phase.Blocked);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(condition(r, "Degraded"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("RolledBack");
              assertThat(c.getMessage())
                  .contains(
                      "StatefulSet shop-worker not available at the end of the rollback window");
            });
    assertThat(appliedVersions(ns)).containsExactly("1", "2");
  }

  @Test
  void aDegradedArgoRolloutRollsTheSchemaBack() throws Exception {
    String ns = newNamespaceWithDatabase();
    GenericKubernetesResource created =
        client.genericKubernetesResources(ROLLOUTS).inNamespace(ns).resource(rollout(ns)).create();
    created.setAdditionalProperty(
        "status",
        Map.of(
            "phase",
            "Healthy",
            "availableReplicas",
            2,
            "observedGeneration",
            String.valueOf(created.getMetadata().getGeneration())));
    client.genericKubernetesResources(ROLLOUTS).inNamespace(ns).resource(created).updateStatus();
    create(
        watching(
            schema(ns, "shop", FIXED_IMAGE, "2"),
            WorkloadRef.WorkloadKind.Rollout,
            "shop-api",
            "10m"));
    awaitReadyAt(ns, "shop", "2");
    edit(ns, "shop", x -> x.getSpec().setTargetRevision("3"));
    awaitReadyAt(ns, "shop", "3");

    // A new version goes out (a new generation) and Argo Rollouts aborts it (its status, written
    // through /status).
    long before =
        client
            .genericKubernetesResources(ROLLOUTS)
            .inNamespace(ns)
            .withName("shop-api")
            .get()
            .getMetadata()
            .getGeneration();
    GenericKubernetesResource updated =
        client
            .genericKubernetesResources(ROLLOUTS)
            .inNamespace(ns)
            .withName("shop-api")
            .edit(
                r -> {
                  r.setAdditionalProperty(
                      "spec",
                      Map.of(
                          "replicas",
                          2,
                          "template",
                          Map.of("image", "registry.example.com/api:2")));
                  return r;
                });
    assertThat(updated.getMetadata().getGeneration()).isGreaterThan(before);
    updated.setAdditionalProperty(
        "status",
        Map.of(
            "phase",
            "Degraded",
            "observedGeneration",
            String.valueOf(updated.getMetadata().getGeneration()),
            "message",
            "RolloutAborted: metric error-rate failed",
            "availableReplicas",
            2));
    client.genericKubernetesResources(ROLLOUTS).inNamespace(ns).resource(updated).updateStatus();

    DatabaseSchema r = awaitPhase(ns, "shop", Phase.Blocked);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo("2");
    assertThat(condition(r, "Degraded"))
        .get()
        .extracting("message")
        .asString()
        .contains("Rollout shop-api is Degraded")
        .contains("RolloutAborted");
    assertThat(
            column(
                ns,
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' "
                    + "AND column_name = 'status'"))
        .isEmpty();
  }

  private static GenericKubernetesResource rollout(String ns) {
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("argoproj.io/v1alpha1")
            .withKind("Rollout")
            .withNewMetadata()
            .withName("shop-api")
            .withNamespace(ns)
            .endMetadata()
            .build();
    r.setAdditionalProperty(
        "spec", Map.of("replicas", 2, "template", Map.of("image", "registry.example.com/api:1")));
    return r;
  }

  private static DatabaseSchema watching(
      DatabaseSchema s, WorkloadRef.WorkloadKind kind, String name, String window) {
    s.getSpec()
        .setRollback(Manifests.rollbackOn(RollbackSpec.RollbackStrategy.Undo, kind, name, window));
    return s;
  }

  private static void setReady(String ns, StatefulSet sts, int ready) {
    StatefulSet current =
        client.apps().statefulSets().inNamespace(ns).withName(sts.getMetadata().getName()).get();
    current.setStatus(
        new StatefulSetStatusBuilder()
            .withObservedGeneration(current.getMetadata().getGeneration())
            .withReplicas(2)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUpdatedReplicas(2)
            .withCurrentRevision("shop-worker-1")
            .withUpdateRevision("shop-worker-1")
            .build());
    client.apps().statefulSets().inNamespace(ns).resource(current).updateStatus();
  }
}
