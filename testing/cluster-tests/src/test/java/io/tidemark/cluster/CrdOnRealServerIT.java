package io.tidemark.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CRD as a real API server judges it: accepted and Established (structural schema, CEL rules
 * within their cost budget), and every manifest of the operator's schema tests given the same
 * verdict by the server as by the JSON-schema test (operator/src/test/resources/manifests:
 * valid/ and examples/ must be accepted, invalid/ refused).
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
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
    }
  }

  @Test
  void theCrdIsEstablishedAndTheChartShipsTheSameFile() throws IOException {
    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
        .withName(Crds.NAME).get();
    assertThat(crd.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Established=True"))
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("NamesAccepted=True"));
    assertThat(crd.getStatus().getAcceptedNames().getShortNames()).contains("dbs");
    Path chartCopy;
    try (Stream<Path> files = Files.walk(Repo.root().resolve("charts/tidemark"))) {
      chartCopy = files.filter(p -> p.getFileName().equals(Repo.crd().getFileName())).findFirst().orElseThrow();
    }
    assertThat(Files.readString(chartCopy)).isEqualTo(Files.readString(Repo.crd()));
  }

  @TestFactory
  Stream<DynamicTest> validManifestsAreAccepted() throws IOException {
    List<Path> files = new ArrayList<>(manifests("valid"));
    try (Stream<Path> examples = Files.walk(Repo.root().resolve("examples"))) {
      examples.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    return databaseSchemas(files).map(m -> DynamicTest.dynamicTest(m.label(), () -> {
      GenericKubernetesResource accepted = admin.resource(m.resource()).dryRun().fieldValidation(Validation.STRICT).create();
      assertThat(accepted.getMetadata().getName()).isEqualTo(m.resource().getMetadata().getName());
    }));
  }

  /** With kubectl's default field validation (Strict), as `kubectl apply` sends them. */
  @TestFactory
  Stream<DynamicTest> invalidManifestsAreRefused() throws IOException {
    return databaseSchemas(manifests("invalid")).map(m -> DynamicTest.dynamicTest(m.label(), () ->
        assertThatThrownBy(() -> admin.resource(m.resource()).dryRun().fieldValidation(Validation.STRICT).create())
            .as("the API server accepted %s", m.label())
            .isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).as(e.getMessage()).isIn(400, 422))));
  }

  /**
   * A client that does not ask for strict validation gets unknown fields pruned, never stored: what
   * the server accepts of an invalid manifest is never the manifest as written.
   */
  @TestFactory
  Stream<DynamicTest> whatALenientClientGetsAcceptedIsPrunedOfUnknownFields() throws IOException {
    return databaseSchemas(manifests("invalid")).map(m -> DynamicTest.dynamicTest(m.label(), () -> {
      GenericKubernetesResource accepted;
      try {
        accepted = admin.resource(m.resource()).dryRun().fieldValidation(Validation.IGNORE).create();
      } catch (KubernetesClientException refused) {
        assertThat(refused.getCode()).as(refused.getMessage()).isIn(400, 422);
        return;
      }
      assertThat(accepted.getAdditionalProperties().get("spec"))
          .as("%s was accepted as written", m.label())
          .isNotEqualTo(m.resource().getAdditionalProperties().get("spec"));
    }));
  }

  record Manifest(String label, GenericKubernetesResource resource) {}

  static List<Path> manifests(String folder) throws IOException {
    try (Stream<Path> files = Files.list(Repo.root().resolve("operator/src/test/resources/manifests").resolve(folder))) {
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
        GenericKubernetesResource resource = admin.getKubernetesSerialization()
            .unmarshal(json.writeValueAsString(doc), GenericKubernetesResource.class);
        all.add(new Manifest(Repo.root().relativize(file) + (index++ > 0 ? "#" + index : ""), resource));
      }
    }
    assertThat(all).as("DatabaseSchema manifests in %s", files).isNotEmpty();
    return all.stream();
  }
}
