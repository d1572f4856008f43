package io.tidemark.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CRD as a real API server judges it: accepted and Established (structural schema, CEL rules
 * within their cost budget), and every manifest of the operator's schema tests given the same
 * verdict by the server as by the JSON-schema test (operator/src/test/resources/manifests: valid/
 * and examples/ must be accepted, invalid/ refused).
 */
class CrdOnRealServerIT {
  static final String NAMESPACE = "crd-verdicts";
  static final YAMLMapper YAML = new YAMLMapper();
  static KubernetesClient admin;

  @BeforeAll
  static void installCrd() {
    admin = ControlPlane.shared().admin();
    Crds.install(admin);
    if (admin.namespaces().withName(NAMESPACE).get() == null) {
      admin
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
    }
  }

  @Test
  void theCrdIsEstablishedAndTheChartShipsTheSameFile() throws IOException {
    CustomResourceDefinition crd =
        admin.apiextensions().v1().customResourceDefinitions().withName(Crds.NAME).get();
    assertThat(crd.getStatus().getConditions())
        .anySatisfy(
            c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Established=True"))
        .anySatisfy(
            c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("NamesAccepted=True"));
    assertThat(crd.getStatus().getAcceptedNames().getShortNames()).contains("dbs");
    Path chartCopy;
    try (Stream<Path> files = Files.walk(Repo.root().resolve("charts/tidemark"))) {
      chartCopy =
          files
              .filter(p -> p.getFileName().equals(Repo.crd().getFileName()))
              .findFirst()
              .orElseThrow();
    }
    assertThat(Files.readString(chartCopy)).isEqualTo(Files.readString(Repo.crd()));
  }

  @TestFactory
  Stream<DynamicTest> validManifestsAreAccepted() throws IOException {
    List<Path> files = new ArrayList<>(manifests("valid"));
    try (Stream<Path> examples = Files.walk(Repo.root().resolve("examples"))) {
      examples.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    return databaseSchemas(files)
        .map(
            m ->
                DynamicTest.dynamicTest(
                    m.label(),
                    () -> {
                      GenericKubernetesResource accepted =
                          admin
                              .resource(m.resource())
                              .dryRun()
                              .fieldValidation(Validation.STRICT)
                              .create();
                      assertThat(accepted.getMetadata().getName())
                          .isEqualTo(m.resource().getMetadata().getName());
                    }));
  }

  /** With kubectl's default field validation (Strict), as `kubectl apply` sends them. */
  @TestFactory
  Stream<DynamicTest> invalidManifestsAreRefused() throws IOException {
    return databaseSchemas(manifests("invalid"))
        .map(
            m ->
                DynamicTest.dynamicTest(
                    m.label(),
                    () ->
                        assertThatThrownBy(
                                () ->
                                    admin
                                        .resource(m.resource())
                                        .dryRun()
                                        .fieldValidation(Validation.STRICT)
                                        .create())
                            .as("the API server accepted %s", m.label())
                            .isInstanceOfSatisfying(
                                KubernetesClientException.class,
                                e -> assertThat(e.getCode()).as(e.getMessage()).isIn(400, 422))));
  }

  /**
   * A client that does not ask for strict validation gets unknown fields pruned, never stored: what
   * the server accepts of an invalid manifest is never the manifest as written.
   */
  @TestFactory
  Stream<DynamicTest> whatALenientClientGetsAcceptedIsPrunedOfUnknownFields() throws IOException {
    return databaseSchemas(manifests("invalid"))
        .map(
            m ->
                DynamicTest.dynamicTest(
                    m.label(),
                    () -> {
                      GenericKubernetesResource accepted;
                      try {
                        accepted =
                            admin
                                .resource(m.resource())
                                .dryRun()
                                .fieldValidation(Validation.IGNORE)
                                .create();
                      } catch (KubernetesClientException refused) {
                        assertThat(refused.getCode()).as(refused.getMessage()).isIn(400, 422);
                        return;
                      }
                      assertThat(accepted.getAdditionalProperties().get("spec"))
                          .as("%s was accepted as written", m.label())
                          .isNotEqualTo(m.resource().getAdditionalProperties().get("spec"));
                    }));
  }

  /**
   * What kubectl shows, from the server: the Table of kubectl get (columns in the CRD's order, Age
   * last), the category tidemark, the root description kubectl explain reads from the published
   * OpenAPI; and status.conditions as a list map of True/False/Unknown conditions.
   */
  @Test
  void kubectlGetExplainAndTheConditionsListMap() throws Exception {
    String name = "kubectl-columns";
    GenericKubernetesResource manifest =
        databaseSchemas(manifests("valid")).findFirst().orElseThrow().resource();
    manifest.getMetadata().setName(name);
    admin.resource(manifest).create();
    try {
      var schemas = admin.resources(DatabaseSchema.class).inNamespace(NAMESPACE);
      DatabaseSchema r = schemas.withName(name).get();
      DatabaseSchemaStatus status = new DatabaseSchemaStatus();
      status.setPhase(Phase.Ready);
      status.setCurrentRevision("7");
      status.setTargetRevision("7");
      status.setLatestRevision("8");
      status
          .getConditions()
          .add(condition("Ready", "True", "AtTargetRevision", "Schema at revision 7."));
      status.getConditions().add(condition("Degraded", "False", "AsExpected", "No failure."));
      r.setStatus(status);
      r = admin.resource(r).updateStatus();

      JsonNode table =
          new ObjectMapper()
              .readTree(
                  get(
                      "apis/"
                          + DatabaseSchema.GROUP
                          + "/"
                          + DatabaseSchema.VERSION
                          + "/namespaces/"
                          + NAMESPACE
                          + "/databaseschemas/"
                          + name,
                      "application/json;as=Table;v=v1;g=meta.k8s.io"));
      List<String> columns = new ArrayList<>();
      List<String> defaultColumns = new ArrayList<>();
      table
          .path("columnDefinitions")
          .forEach(
              c -> {
                columns.add(c.path("name").asText());
                if (c.path("priority").asInt() == 0) {
                  defaultColumns.add(c.path("name").asText());
                }
              });
      assertThat(defaultColumns)
          .as("kubectl get dbs")
          .containsExactly("Name", "Ready", "Phase", "Current", "Target", "Reason", "Age");
      // -o wide: every printer column of the CRD as served, in its order: the server renders what
      // the CRD declares. Which columns it declares, and which show without -o wide, is pinned
      // by CrdIsCurrentTest on the same file from crds/.
      List<String> declared = new ArrayList<>(List.of("Name"));
      admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(Crds.NAME)
          .get()
          .getSpec()
          .getVersions()
          .get(0)
          .getAdditionalPrinterColumns()
          .forEach(c -> declared.add(c.getName()));
      assertThat(declared).hasSize(10);
      assertThat(columns).as("kubectl get dbs -o wide").isEqualTo(declared);
      List<String> cells = new ArrayList<>();
      table.path("rows").get(0).path("cells").forEach(c -> cells.add(c.asText()));
      assertThat(cells.subList(0, 8))
          .containsExactly(
              name, "True", "Ready", "7", "7", "8", "AtTargetRevision", "Schema at revision 7.");

      // kubectl get tidemark: the category, with the short names.
      var resource =
          admin
              .getApiResources(DatabaseSchema.GROUP + "/" + DatabaseSchema.VERSION)
              .getResources()
              .stream()
              .filter(x -> "databaseschemas".equals(x.getName()))
              .findFirst()
              .orElseThrow();
      assertThat(resource.getCategories()).containsExactly("tidemark");
      assertThat(resource.getShortNames()).contains("dbs");

      // kubectl explain dbs: the description of the published schema (published shortly after the
      // CRD).
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                JsonNode openApi =
                    new ObjectMapper()
                        .readTree(
                            get(
                                "openapi/v3/apis/"
                                    + DatabaseSchema.GROUP
                                    + "/"
                                    + DatabaseSchema.VERSION,
                                "application/json"));
                assertThat(
                        openApi
                            .at(
                                "/components/schemas/io.tidemark.db.v1alpha1.DatabaseSchema/description")
                            .asText())
                    .startsWith(
                        "A PostgreSQL database whose schema Tidemark keeps at spec.targetRevision");
              });

      // One condition per type; True, False or Unknown.
      DatabaseSchema twice = schemas.withName(name).get();
      twice.getStatus().getConditions().add(condition("Ready", "False", "Planning", "Again."));
      assertThatThrownBy(() -> admin.resource(twice).updateStatus())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422))
          .hasMessageContaining("status.conditions");
      DatabaseSchema maybe = schemas.withName(name).get();
      maybe.getStatus().getConditions().get(0).setStatus("Maybe");
      assertThatThrownBy(() -> admin.resource(maybe).updateStatus())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422))
          .hasMessageContaining("Maybe");
    } finally {
      admin.resources(DatabaseSchema.class).inNamespace(NAMESPACE).withName(name).delete();
    }
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime("2026-11-29T10:00:00Z")
        .withObservedGeneration(1L)
        .build();
  }

  /** A GET of the API server's path, with the Accept header given. */
  private static String get(String path, String accept) throws Exception {
    var http = admin.getHttpClient();
    var request =
        http.newHttpRequestBuilder()
            .uri(admin.getMasterUrl().toURI().resolve("/" + path).toString())
            .setHeader("Accept", accept)
            .build();
    var response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).as("GET /%s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }

  record Manifest(String label, GenericKubernetesResource resource) {}

  static List<Path> manifests(String folder) throws IOException {
    try (Stream<Path> files =
        Files.list(Repo.root().resolve("operator/src/test/resources/manifests").resolve(folder))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /** Every DatabaseSchema document of the files, put into the test namespace. */
  static Stream<Manifest> databaseSchemas(List<Path> files) throws IOException {
    List<Manifest> all = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (Path file : files) {
      var parser = new YAMLFactory().createParser(file.toFile());
      int index = 0;
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc == null || !"DatabaseSchema".equals(doc.path("kind").asText())) {
          continue;
        }
        ((ObjectNode) doc.with("metadata")).put("namespace", NAMESPACE);
        GenericKubernetesResource resource =
            admin
                .getKubernetesSerialization()
                .unmarshal(json.writeValueAsString(doc), GenericKubernetesResource.class);
        all.add(
            new Manifest(
                Repo.root().relativize(file) + (index++ > 0 ? "#" + index : ""), resource));
      }
    }
    assertThat(all).as("DatabaseSchema manifests in %s", files).isNotEmpty();
    return all.stream();
  }
}
