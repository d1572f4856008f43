package io.tidemark.operator.model;

import static io.tidemark.operator.model.CrdTestSupport.REGENERATE_COMMAND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD (crds/) is the one the model generates, and the generated CRD is what `kubectl
 * get`/`describe`/`explain` users and the API server need: structural, documented, validated.
 */
class CrdIsCurrentTest {

  @Test
  void committedCrdIsTheGeneratedOne() throws IOException {
    Path committed = CrdTestSupport.committedCrd();
    String generated = normalize(CrdTestSupport.generatedCrdText());
    if (!Files.exists(committed)) {
      fail(
          "%s is missing. Generate it with:%n  %s",
          CrdTestSupport.repoRoot().relativize(committed), REGENERATE_COMMAND);
    }
    String current = normalize(Files.readString(committed, StandardCharsets.UTF_8));
    if (!generated.equals(current)) {
      fail(
          "crds/%s is stale: the model in io.tidemark.operator.model changed since it was generated.%n"
              + "Regenerate it (from the repository root) with:%n  %s%nand commit the result.%nFirst difference: %s",
          CrdTestSupport.CRD_FILE, REGENERATE_COMMAND, firstDifference(current, generated));
    }
  }

  @Test
  void namesScopeVersionAndStatusSubresource() {
    JsonNode crd = CrdTestSupport.generatedCrd();
    assertThat(crd.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
    assertThat(crd.path("metadata").path("name").asText())
        .isEqualTo("databaseschemas.db.tidemark.io");
    JsonNode spec = crd.path("spec");
    assertThat(spec.path("group").asText()).isEqualTo("db.tidemark.io");
    assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
    JsonNode names = spec.path("names");
    assertThat(names.path("kind").asText()).isEqualTo("DatabaseSchema");
    assertThat(names.path("plural").asText()).isEqualTo("databaseschemas");
    assertThat(names.path("singular").asText()).isEqualTo("databaseschema");
    assertThat(texts(names.path("shortNames"))).containsExactly("dbschema", "dbs");
    // kubectl get tidemark lists them (and whatever Tidemark adds later).
    assertThat(texts(names.path("categories"))).containsExactly("tidemark");

    assertThat(spec.path("versions")).hasSize(1);
    JsonNode version = spec.path("versions").get(0);
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.path("served").asBoolean()).isTrue();
    assertThat(version.path("storage").asBoolean()).isTrue();
    assertThat(version.path("subresources").has("status")).as("status subresource").isTrue();
    assertThat(version.path("subresources").has("scale")).isFalse();
  }

  /**
   * kubectl get dbs shows NAME READY PHASE CURRENT TARGET REASON AGE, in that order (the CRD's
   * order; fabric8's generator alone would sort the columns by JSONPath and put Age first), and -o
   * wide adds LATEST and MESSAGE before AGE.
   */
  @Test
  void printerColumns() {
    JsonNode version = CrdTestSupport.generatedCrd().path("spec").path("versions").get(0);
    List<JsonNode> columns = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(columns::add);
    assertThat(columns)
        .extracting(c -> c.path("name").asText())
        .containsExactly(
            "Ready",
            "Phase",
            "Current",
            "Target",
            "Latest",
            "Reason",
            "Message",
            "Approval",
            "Age");
    assertThat(
            columns.stream()
                .filter(c -> c.path("priority").asInt() == 0)
                .map(c -> c.path("name").asText()))
        .as("the columns of kubectl get, without -o wide")
        .containsExactly("Ready", "Phase", "Current", "Target", "Reason", "Age");

    Map<String, JsonNode> byName = new LinkedHashMap<>();
    columns.forEach(c -> byName.put(c.path("name").asText(), c));
    assertColumn(
        byName.get("Ready"), ".status.conditions[?(@.type==\"Ready\")].status", "string", 0);
    assertColumn(byName.get("Phase"), ".status.phase", "string", 0);
    assertColumn(byName.get("Current"), ".status.currentRevision", "string", 0);
    assertColumn(byName.get("Target"), ".status.targetRevision", "string", 0);
    assertColumn(byName.get("Latest"), ".status.latestRevision", "string", 1);
    assertColumn(
        byName.get("Reason"), ".status.conditions[?(@.type==\"Ready\")].reason", "string", 0);
    assertColumn(
        byName.get("Message"), ".status.conditions[?(@.type==\"Ready\")].message", "string", 1);
    assertColumn(byName.get("Age"), ".metadata.creationTimestamp", "date", 0);
    columns.forEach(
        c ->
            assertThat(c.path("description").asText())
                .as("description of column %s", c.path("name"))
                .isNotBlank());

    // Every column's path (but the metadata one and the filter) is a field of the schema.
    JsonNode status =
        CrdTestSupport.openApiSchema().path("properties").path("status").path("properties");
    for (String field :
        List.of("currentRevision", "targetRevision", "phase", "latestRevision", "conditions")) {
      assertThat(status.has(field)).as("status.%s exists", field).isTrue();
    }
    JsonNode condition = status.path("conditions").path("items").path("properties");
    for (String field : List.of("type", "status", "reason", "message")) {
      assertThat(condition.has(field)).as("status.conditions[].%s exists", field).isTrue();
    }
  }

  /** What kubectl explain dbs shows first. */
  @Test
  void theRootHasADescription() {
    assertThat(CrdTestSupport.openApiSchema().path("description").asText())
        .startsWith("A PostgreSQL database whose schema Tidemark keeps at spec.targetRevision");
  }

  /**
   * status.conditions is a list map keyed by type, as Kubernetes' own conditions: one condition per
   * type (the API server refuses a second), merged by type in server-side apply. The key is
   * required, as the API server demands of list-map keys; status is True, False or Unknown.
   */
  @Test
  void conditionsAreAListMapKeyedByTypeWithAnEnumOnStatus() {
    JsonNode conditions =
        CrdTestSupport.openApiSchema()
            .path("properties")
            .path("status")
            .path("properties")
            .path("conditions");
    assertThat(conditions.path("type").asText()).isEqualTo("array");
    assertThat(conditions.path("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(texts(conditions.path("x-kubernetes-list-map-keys"))).containsExactly("type");
    JsonNode item = conditions.path("items");
    assertThat(item.path("type").asText()).isEqualTo("object");
    assertThat(texts(item.path("required"))).contains("type", "status");
    assertThat(texts(item.path("properties").path("status").path("enum")))
        .containsExactlyInAnyOrder("True", "False", "Unknown");
    // The operator writes nothing else (Conditions.set).
    assertThat(item.path("properties").path("type").path("type").asText()).isEqualTo("string");
  }

  /**
   * Every property, at every depth, has a description (what `kubectl explain` shows); the root has
   * one too ({@link #theRootHasADescription()}).
   */
  @Test
  void everyPropertyHasADescription() {
    List<String> undocumented = new ArrayList<>();
    walkProperties(
        CrdTestSupport.openApiSchema(),
        "",
        (path, schema) -> {
          if (schema.path("description").asText().isBlank()) {
            undocumented.add(path);
          }
        });
    assertThat(undocumented).as("properties without a description").isEmpty();
  }

  /** The rules of a structural schema, as the API server checks them when the CRD is created. */
  @Test
  void schemaIsStructural() {
    JsonNode root = CrdTestSupport.openApiSchema();
    assertThat(root.path("type").asText()).isEqualTo("object");
    List<String> problems = new ArrayList<>();
    checkStructural(root, "openAPIV3Schema", false, problems);
    assertThat(problems).isEmpty();
  }

  @Test
  void requiredFields() {
    JsonNode spec = CrdTestSupport.openApiSchema().path("properties").path("spec");
    assertThat(texts(CrdTestSupport.openApiSchema().path("required"))).containsExactly("spec");
    assertThat(texts(spec.path("required"))).containsExactlyInAnyOrder("database", "migrations");
    // host and credentialsSecret, or cluster: a CEL rule (RULE_DATABASE_ENDPOINT).
    assertThat(texts(at(spec, "database").path("required"))).containsExactly("name");
    // image or configMap: a CEL rule (RULE_ONE_MIGRATIONS_SOURCE).
    assertThat(texts(at(spec, "migrations").path("required"))).isEmpty();
    assertThat(texts(at(spec, "rollback", "onFailedRollout").path("required")))
        .containsExactly("workloads");
    assertThat(
            texts(
                at(spec, "rollback", "onFailedRollout", "workloads")
                    .path("items")
                    .path("required")))
        .containsExactlyInAnyOrder("kind", "name");
  }

  @Test
  void enums() {
    JsonNode root = CrdTestSupport.openApiSchema();
    JsonNode spec = root.path("properties").path("spec");
    assertThat(texts(at(spec, "database", "sslMode").path("enum")))
        .containsExactlyInAnyOrder(
            "disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    assertThat(texts(at(spec, "rollback", "strategy").path("enum")))
        .containsExactlyInAnyOrder("Undo", "Restore");
    assertThat(
            texts(
                at(spec, "rollback", "onFailedRollout", "workloads")
                    .path("items")
                    .path("properties")
                    .path("kind")
                    .path("enum")))
        .containsExactlyInAnyOrder("Deployment", "StatefulSet", "Rollout");
    assertThat(texts(at(spec, "migrations", "imagePullPolicy").path("enum")))
        .containsExactlyInAnyOrder("Always", "IfNotPresent", "Never");
    assertThat(
            texts(
                root.path("properties")
                    .path("status")
                    .path("properties")
                    .path("phase")
                    .path("enum")))
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(Phase.values()).map(Enum::name).toArray(String[]::new));
  }

  @Test
  void defaultsAreTheModelsDefaults() {
    JsonNode spec = CrdTestSupport.openApiSchema().path("properties").path("spec");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("targetRevision", "latest");
    expected.put("suspend", false);
    expected.put("database.port", 5432);
    // sslMode has no default in the schema: unset, it is verify-full with a cluster and prefer
    // otherwise (DatabaseEndpoint).
    expected.put("database.usernameKey", "username");
    expected.put("database.passwordKey", "password");
    expected.put("migrations.path", "/migrations");
    expected.put("migrations.lockTimeout", "10s");
    expected.put("migrations.statementTimeout", "0");
    expected.put("backup.enabled", true);
    expected.put("backup.keep", 5);
    expected.put("rollback.strategy", "Undo");
    expected.put("rollback.onFailedRollout.window", "15m");
    expected.forEach(
        (path, value) ->
            assertThat(at(spec, path.split("\\.")).path("default"))
                .as("default of spec.%s", path)
                .isEqualTo(CrdTestSupport.JSON.valueToTree(value)));

    // And the Java model agrees (what the operator assumes when a field is absent, e.g. on the mock
    // API server).
    JsonNode javaDefaults = CrdTestSupport.JSON.valueToTree(new DatabaseSchemaSpec());
    assertThat(javaDefaults.path("targetRevision").asText()).isEqualTo("latest");
    assertThat(javaDefaults.path("suspend").asBoolean()).isFalse();
    assertThat(javaDefaults.path("backup").path("enabled").asBoolean()).isTrue();
    assertThat(javaDefaults.path("backup").path("keep").asInt()).isEqualTo(5);
    JsonNode db = CrdTestSupport.JSON.valueToTree(new DatabaseRef());
    assertThat(db.path("port").asInt()).isEqualTo(5432);
    assertThat(db.has("sslMode")).as("decided by DatabaseEndpoint").isFalse();
    assertThat(at(spec, "database", "sslMode").has("default")).isFalse();
    JsonNode migrations = CrdTestSupport.JSON.valueToTree(new MigrationsSpec());
    assertThat(migrations.path("path").asText()).isEqualTo("/migrations");
    assertThat(migrations.path("lockTimeout").asText()).isEqualTo("10s");
    assertThat(migrations.path("statementTimeout").asText()).isEqualTo("0");
    assertThat(CrdTestSupport.JSON.valueToTree(new RollbackSpec()).path("strategy").asText())
        .isEqualTo("Undo");
    assertThat(CrdTestSupport.JSON.valueToTree(new OnFailedRollout()).path("window").asText())
        .isEqualTo("15m");
  }

  /** The API server rejects a CRD whose defaults do not validate against their own schema. */
  @Test
  void everyDefaultValidatesAgainstItsSchema() {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    List<String> problems = new ArrayList<>();
    walkProperties(
        CrdTestSupport.openApiSchema(),
        "",
        (path, schema) -> {
          if (schema.has("default")) {
            ObjectNode copy = CrdSchemaValidationTest.forValidator(schema, false);
            copy.remove("default");
            var errors = factory.getSchema(copy).validate(schema.get("default"));
            if (!errors.isEmpty()) {
              problems.add(path + ": " + errors);
            }
          }
        });
    assertThat(problems).isEmpty();
  }

  @Test
  void patternsGuardEveryFreeFormSpecString() {
    JsonNode spec = CrdTestSupport.openApiSchema().path("properties").path("spec");
    List<String> unguarded = new ArrayList<>();
    walkProperties(
        spec,
        "spec",
        (path, schema) -> {
          boolean string = "string".equals(schema.path("type").asText());
          boolean guarded = schema.has("pattern") || schema.has("enum");
          // Free text the operator only passes through as Kubernetes values, never into SQL or a
          // shell.
          boolean passThrough =
              path.startsWith("spec.jobTemplate.tolerations[].key")
                  || path.startsWith("spec.jobTemplate.tolerations[].value")
                  || path.startsWith("spec.jobTemplate.resources.claims[]");
          if (string && !guarded && !passThrough) {
            unguarded.add(path);
          }
        });
    assertThat(unguarded).as("spec strings without a pattern or enum").isEmpty();
  }

  @Test
  void celRulesAreDeclaredWithMessagesAndFieldPaths() {
    JsonNode spec = CrdTestSupport.openApiSchema().path("properties").path("spec");
    JsonNode rules = spec.path("x-kubernetes-validations");
    assertThat(texts(rules, "rule"))
        .containsExactlyInAnyOrder(
            DatabaseSchemaSpec.RULE_BACKUP_CLAIM,
            DatabaseSchemaSpec.RULE_RESTORE_NEEDS_BACKUP,
            DatabaseSchemaSpec.RULE_NO_SECURITY_ANNOTATIONS,
            DatabaseSchemaSpec.RULE_DATABASE_ENDPOINT,
            DatabaseSchemaSpec.RULE_VERIFY_NEEDS_CA,
            DatabaseSchemaSpec.RULE_ONE_CA_SOURCE,
            DatabaseSchemaSpec.RULE_ONE_MIGRATIONS_SOURCE);
    for (JsonNode rule : rules) {
      assertThat(rule.path("message").asText()).isNotBlank();
      String fieldPath = rule.path("fieldPath").asText();
      assertThat(fieldPath).startsWith(".");
      // fieldPath must name a field of the schema, or the API server rejects the CRD.
      assertThat(at(spec, fieldPath.substring(1).split("\\.")).isMissingNode())
          .as("fieldPath %s exists", fieldPath)
          .isFalse();
    }
  }

  // ---------------------------------------------------------------------------------------

  private static void assertColumn(JsonNode column, String jsonPath, String type, int priority) {
    assertThat(column.path("jsonPath").asText()).isEqualTo(jsonPath);
    assertThat(column.path("type").asText()).isEqualTo(type);
    assertThat(column.path("priority").asInt()).isEqualTo(priority);
  }

  /** Calls back for every named property below {@code schema}, with a path like spec.a.b[].c. */
  static void walkProperties(JsonNode schema, String path, BiConsumer<String, JsonNode> visitor) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
              visitor.accept(p, e.getValue());
              walkProperties(e.getValue(), p, visitor);
            });
    if (schema.has("items")) {
      walkProperties(schema.get("items"), path + "[]", visitor);
    }
    if (schema.path("additionalProperties").isObject()) {
      walkProperties(schema.get("additionalProperties"), path + "{}", visitor);
    }
  }

  private static void checkStructural(
      JsonNode s, String path, boolean inJunctor, List<String> problems) {
    boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean();
    boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    if (inJunctor) {
      // Inside anyOf/allOf/oneOf/not only value validations: no type (but the int-or-string pair),
      // description, default, nullable or additionalProperties.
      for (String forbidden :
          List.of("description", "default", "nullable", "additionalProperties")) {
        if (s.has(forbidden)) {
          problems.add(path + ": " + forbidden + " inside a junctor");
        }
      }
    } else if (!s.has("type") && !intOrString && !preserve) {
      problems.add(path + ": no type");
    }
    if (s.has("properties") && s.has("additionalProperties")) {
      problems.add(path + ": both properties and additionalProperties");
    }
    if (s.has("properties") && !"object".equals(s.path("type").asText()) && !inJunctor) {
      problems.add(path + ": properties on a non-object");
    }
    if (s.has("items") && !"array".equals(s.path("type").asText()) && !inJunctor) {
      problems.add(path + ": items on a non-array");
    }
    if ("array".equals(s.path("type").asText()) && !s.has("items")) {
      problems.add(path + ": array without items");
    }
    if (s.has("anyOf") && intOrString) {
      // The canonical int-or-string form.
      List<String> types =
          StreamSupport.stream(s.get("anyOf").spliterator(), false)
              .map(n -> n.path("type").asText())
              .toList();
      if (!types.equals(List.of("integer", "string"))) {
        problems.add(path + ": int-or-string anyOf is " + types);
      }
    } else {
      for (String junctor : List.of("anyOf", "allOf", "oneOf")) {
        int i = 0;
        for (JsonNode sub : s.path(junctor)) {
          checkStructural(sub, path + "." + junctor + "[" + i++ + "]", true, problems);
        }
      }
      if (s.has("not")) {
        checkStructural(s.get("not"), path + ".not", true, problems);
      }
    }
    s.path("properties")
        .fields()
        .forEachRemaining(
            e -> checkStructural(e.getValue(), path + "." + e.getKey(), inJunctor, problems));
    if (s.has("items")) {
      checkStructural(s.get("items"), path + "[]", inJunctor, problems);
    }
    if (s.path("additionalProperties").isObject()) {
      checkStructural(s.get("additionalProperties"), path + "{}", inJunctor, problems);
    }
  }

  static JsonNode at(JsonNode schema, String... path) {
    JsonNode n = schema;
    for (String p : path) {
      n = n.path("properties").path(p);
    }
    return n;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  private static String normalize(String s) {
    return s.replace("\r\n", "\n").stripTrailing() + "\n";
  }

  private static String firstDifference(String committed, String generated) {
    String[] a = committed.split("\n", -1);
    String[] b = generated.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end of file>";
      String y = i < b.length ? b[i] : "<end of file>";
      if (!x.equals(y)) {
        return String.format("line %d%n  committed: %s%n  generated: %s", i + 1, x, y);
      }
    }
    return "none";
  }
}
