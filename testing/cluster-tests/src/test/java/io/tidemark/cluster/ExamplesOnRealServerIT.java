package io.tidemark.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every manifest under examples/ (the todo example and the quickstart's database, application and
 * DatabaseSchema) as a real API server judges it, the way `kubectl apply` sends it (strict field
 * validation): accepted, in its own namespace, which enforces the restricted Pod Security profile;
 * and the Pods of every Deployment and StatefulSet admitted under that profile (the API server only
 * warns about a workload, it refuses its Pods). Objects of APIs this control plane does not serve
 * (CloudNativePG's Cluster) are the only ones not judged, and the test says which.
 */
class ExamplesOnRealServerIT {
  /** Kinds of operators that are not installed here: "apiVersion/kind". */
  static final Set<String> NOT_SERVED_HERE = Set.of("postgresql.cnpg.io/v1/Cluster");

  /** kustomize's own files: not Kubernetes objects (checked by their own test below). */
  static final Set<String> KUSTOMIZE_FILES = Set.of("kustomization.yaml", "kustomizeconfig.yaml");

  static KubernetesClient admin;
  static final Set<String> namespaces = new TreeSet<>();

  @BeforeAll
  static void namespacesAndCrd() throws IOException {
    admin = ControlPlane.shared().admin();
    Crds.install(admin);
    for (Example example : examples()) {
      if (example.object() instanceof Namespace ns) {
        admin.resource(ns).createOr(NonDeletingOperation::update);
        namespaces.add(ns.getMetadata().getName());
      }
    }
    assertThat(namespaces).as("the examples' namespaces").isNotEmpty();
    // Pods are admitted only once the namespace's `default` ServiceAccount exists.
    for (String ns : namespaces) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> admin.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    }
  }

  @AfterAll
  static void removeNamespaces() {
    namespaces.forEach(ns -> admin.namespaces().withName(ns).delete());
  }

  @Test
  void everyExampleNamespaceEnforcesTheRestrictedProfile() throws IOException {
    for (String ns : namespaces) {
      assertThat(admin.namespaces().withName(ns).get().getMetadata().getLabels())
          .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }
  }

  @Test
  void onlyTheKnownOperatorsKindsAreNotJudged() throws IOException {
    Set<String> notServed = new TreeSet<>();
    for (Example example : examples()) {
      if (!served(example.object())) {
        notServed.add(example.object().getApiVersion() + "/" + example.object().getKind());
      }
    }
    assertThat(notServed).isEqualTo(NOT_SERVED_HERE);
  }

  @TestFactory
  Stream<DynamicTest> everyManifestIsAccepted() throws IOException {
    return examples().stream()
        .filter(e -> !(e.object() instanceof Namespace) && served(e.object()))
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.label(),
                    () -> {
                      HasMetadata accepted =
                          admin
                              .resource(e.object())
                              .dryRun()
                              .fieldValidation(Validation.STRICT)
                              .create();
                      assertThat(accepted.getMetadata().getName())
                          .isEqualTo(e.object().getMetadata().getName());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyWorkloadsPodsAreAdmittedUnderTheRestrictedProfile() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Example e : examples()) {
      if (templateOf(e.object()) == null) {
        continue;
      }
      tests.add(
          DynamicTest.dynamicTest(
              e.label(),
              () -> {
                PodTemplateSpec podTemplate = templateOf(e.object());
                Pod pod =
                    new PodBuilder()
                        .withNewMetadata()
                        .withName(e.object().getMetadata().getName() + "-admission")
                        .withNamespace(e.object().getMetadata().getNamespace())
                        .withLabels(podTemplate.getMetadata().getLabels())
                        .endMetadata()
                        .withSpec(podTemplate.getSpec())
                        .build();
                if (e.object() instanceof StatefulSet set
                    && set.getSpec().getVolumeClaimTemplates() != null) {
                  // As the StatefulSet controller does: a volume per claim template, on the claim
                  // <template>-<set>-<ordinal>.
                  for (var claim : set.getSpec().getVolumeClaimTemplates()) {
                    String name = claim.getMetadata().getName();
                    pod.getSpec()
                        .getVolumes()
                        .add(
                            new VolumeBuilder()
                                .withName(name)
                                .withNewPersistentVolumeClaim()
                                .withClaimName(name + "-" + set.getMetadata().getName() + "-0")
                                .endPersistentVolumeClaim()
                                .build());
                  }
                }
                try {
                  admin.resource(pod).dryRun().create();
                } catch (KubernetesClientException refused) {
                  throw new AssertionError(
                      e.label() + ": its Pods are refused: " + refused.getMessage(), refused);
                }
              }));
    }
    assertThat(tests).as("the examples' workloads").hasSizeGreaterThanOrEqualTo(2);
    return tests.stream();
  }

  /**
   * The todo example's kustomization makes a ConfigMap of every script in migrations/ (kustomize
   * takes no globs, so the list is checked against the folder), within the 1 MiB a ConfigMap may
   * hold, and tells kustomize where a DatabaseSchema names it: the ConfigMap as kustomize would
   * generate it and the DatabaseSchema with its name written in are accepted by the API server.
   */
  @Test
  void theKustomizationMakesAConfigMapOfEveryScriptThatTheDatabaseSchemaNames() throws IOException {
    Path todo = Repo.root().resolve("examples/todo");
    var yaml =
        new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    var kustomization = yaml.readTree(todo.resolve("kustomization.yaml").toFile());
    var generator = kustomization.path("configMapGenerator").get(0);
    List<String> listed = new ArrayList<>();
    generator.path("files").forEach(f -> listed.add(f.asText()));
    List<String> scripts;
    try (Stream<Path> files = Files.list(todo.resolve("migrations"))) {
      scripts = files.map(f -> "migrations/" + f.getFileName()).sorted().toList();
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(scripts);

    var config = yaml.readTree(todo.resolve("kustomizeconfig.yaml").toFile());
    var fieldSpec = config.at("/nameReference/0/fieldSpecs/0");
    assertThat(fieldSpec.path("kind").asText()).isEqualTo("DatabaseSchema");
    assertThat(fieldSpec.path("path").asText()).isEqualTo("spec/migrations/configMap/name");

    java.util.Map<String, String> data = new java.util.TreeMap<>();
    long bytes = 0;
    for (String file : listed) {
      String content = Files.readString(todo.resolve(file));
      data.put(Path.of(file).getFileName().toString(), content);
      bytes += content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    assertThat(bytes).as("what a ConfigMap may hold").isLessThan(1024 * 1024);
    String name = generator.path("name").asText() + "-examplehash";
    var configMap =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("shop")
            .endMetadata()
            .withData(data)
            .build();
    assertThat(admin.resource(configMap).dryRun().create()).isNotNull();

    HasMetadata schema;
    try (InputStream in = Files.newInputStream(todo.resolve("databaseschema-configmap.yaml"))) {
      schema = admin.load(in).items().get(0);
    }
    var generic =
        admin
            .getKubernetesSerialization()
            .convertValue(schema, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> migrations =
        (java.util.Map<String, Object>)
            ((java.util.Map<String, Object>) generic.getAdditionalProperties().get("spec"))
                .get("migrations");
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> ref = (java.util.Map<String, Object>) migrations.get("configMap");
    assertThat(ref.get("name")).isEqualTo(generator.path("name").asText());
    ref.put("name", name);
    assertThat(admin.resource(generic).dryRun().fieldValidation(Validation.STRICT).create())
        .isNotNull();
  }

  // --------------------------------------------------------------------------- helpers

  record Example(String label, HasMetadata object) {}

  static List<Example> examples() throws IOException {
    List<Example> examples = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Repo.root().resolve("examples"))) {
      files =
          walk.filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !KUSTOMIZE_FILES.contains(p.getFileName().toString()))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata object : admin.load(in).items()) {
          examples.add(
              new Example(
                  Repo.root().relativize(file)
                      + ": "
                      + object.getKind()
                      + " "
                      + object.getMetadata().getName(),
                  object));
        }
      }
    }
    return examples;
  }

  static PodTemplateSpec templateOf(HasMetadata object) {
    if (object instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (object instanceof StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    return null;
  }

  static boolean served(HasMetadata object) {
    String apiVersion = object.getApiVersion();
    if (!apiVersion.contains("/")) {
      return true; // the core API
    }
    APIResourceList resources;
    try {
      resources = admin.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      return false;
    }
    return resources != null
        && resources.getResources().stream().anyMatch(r -> r.getKind().equals(object.getKind()));
  }
}
