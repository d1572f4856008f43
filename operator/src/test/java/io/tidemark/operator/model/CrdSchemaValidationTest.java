package io.tidemark.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Manifests against the CRD's openAPIV3Schema, as a real API server (and `kubectl apply`, whose
 * field validation is strict by default) would judge them. The fabric8 mock API server validates
 * nothing, so this is where the schema's guard against bad and hostile input is tested.
 *
 * <p>How the Kubernetes extensions are handled: x-kubernetes-int-or-string is already paired with
 * an anyOf of integer and string, which the validator checks; other x-kubernetes-* keywords are
 * dropped; unknown fields are errors (kubectl's strict field validation: every object with
 * properties gets additionalProperties: false unless it preserves unknown fields); defaults are
 * applied as the API server does before the CEL rules (x-kubernetes-validations) run, and each CEL
 * rule is emulated in Java below: a rule that changes without its emulation fails {@link
 * #everyCelRuleIsEmulated()}.
 */
class CrdSchemaValidationTest {
  static final Path MANIFESTS = Path.of("src", "test", "resources", "manifests");
  private static final java.util.regex.Pattern FIELD_COMMENT =
      java.util.regex.Pattern.compile("(?m)^#\\s*field:\\s*(\\S+)\\s*$");
  private static final java.util.regex.Pattern TRIES_COMMENT =
      java.util.regex.Pattern.compile("(?m)^#\\s*tries:\\s*(.+)$");

  /** The CEL rules of the CRD, emulated: rule text -> (object it is declared on -> valid). */
  private static final Map<String, Predicate<JsonNode>> CEL =
      Map.of(
          DatabaseSchemaSpec.RULE_DATABASE_ENDPOINT,
              spec -> {
                JsonNode db = spec.get("database");
                if (db == null) {
                  return true;
                }
                return db.has("cluster")
                    ? !db.has("host")
                    : db.has("host") && db.has("credentialsSecret");
              },
          DatabaseSchemaSpec.RULE_VERIFY_NEEDS_CA,
              spec -> {
                JsonNode db = spec.get("database");
                if (db == null || !db.has("sslMode")) {
                  return true;
                }
                String mode = db.get("sslMode").asText();
                return !(mode.equals("verify-ca") || mode.equals("verify-full"))
                    || db.has("cluster")
                    || db.path("tls").has("ca");
              },
          DatabaseSchemaSpec.RULE_ONE_MIGRATIONS_SOURCE,
              spec -> {
                JsonNode m = spec.get("migrations");
                return m == null || m.has("image") != m.has("configMap");
              },
          DatabaseSchemaSpec.RULE_ONE_CA_SOURCE,
              spec -> {
                JsonNode ca = spec.path("database").path("tls").path("ca");
                return ca.isMissingNode() || ca.has("secret") != ca.has("configMap");
              },
          DatabaseSchemaSpec.RULE_BACKUP_CLAIM,
              spec -> {
                JsonNode backup = spec.get("backup");
                return backup != null
                    && ((backup.has("enabled") && !backup.get("enabled").asBoolean())
                        || backup.has("volumeClaim"));
              },
          DatabaseSchemaSpec.RULE_RESTORE_NEEDS_BACKUP,
              spec -> {
                JsonNode rollback = spec.get("rollback");
                JsonNode backup = spec.get("backup");
                return !(rollback != null
                    && rollback.has("strategy")
                    && "Restore".equals(rollback.get("strategy").asText())
                    && backup != null
                    && backup.has("enabled")
                    && !backup.get("enabled").asBoolean());
              },
          DatabaseSchemaSpec.RULE_NO_SECURITY_ANNOTATIONS,
              spec -> {
                JsonNode annotations = spec.path("jobTemplate").path("annotations");
                List<String> keys = new ArrayList<>();
                annotations.fieldNames().forEachRemaining(keys::add);
                return keys.stream()
                    .noneMatch(
                        k ->
                            k.startsWith("container.apparmor.security.beta.kubernetes.io/")
                                || k.startsWith("seccomp.security.alpha.kubernetes.io/")
                                || k.startsWith("container.seccomp.security.alpha.kubernetes.io/"));
              });

  private static JsonNode crdSchema;
  private static JsonSchema validator;

  @BeforeAll
  static void loadSchema() {
    crdSchema = CrdTestSupport.openApiSchema();
    ObjectNode manifestSchema = forValidator(crdSchema, true);
    // The API server adds apiVersion, kind and metadata itself; the generated schema leaves them
    // out.
    ObjectNode props = (ObjectNode) manifestSchema.get("properties");
    props
        .putObject("apiVersion")
        .put("type", "string")
        .putArray("enum")
        .add(DatabaseSchema.GROUP + "/" + DatabaseSchema.VERSION);
    props.putObject("kind").put("type", "string").putArray("enum").add("DatabaseSchema");
    ObjectNode metadata = props.putObject("metadata");
    metadata.put("type", "object");
    metadata.putArray("required").add("name");
    metadata
        .putObject("properties")
        .putObject("name")
        .put("type", "string")
        .put("pattern", DatabaseRef.OBJECT_NAME_PATTERN);
    ArrayNode required =
        manifestSchema.has("required")
            ? (ArrayNode) manifestSchema.get("required")
            : manifestSchema.putArray("required");
    required.add("apiVersion").add("kind").add("metadata");
    validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(manifestSchema);
  }

  // ---------------------------------------------------------------------------------------
  // Valid manifests: the examples and the edge cases.

  @TestFactory
  Stream<DynamicTest> everyExampleDatabaseSchemaIsValid() {
    List<Path> files = exampleManifests();
    assertThat(files).as("example manifests in examples/").isNotEmpty();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : files) {
      for (JsonNode doc : CrdTestSupport.readYamlDocuments(file)) {
        if ("DatabaseSchema".equals(doc.path("kind").asText())) {
          tests.add(
              DynamicTest.dynamicTest(
                  CrdTestSupport.repoRoot().relativize(file).toString(), () -> assertValid(doc)));
        }
      }
    }
    assertThat(tests).as("DatabaseSchema documents in examples/").hasSizeGreaterThanOrEqualTo(2);
    return tests.stream();
  }

  /** The example's Secret, volume claim and namespace are the ones its DatabaseSchemas name. */
  @Test
  void examplesAreConsistent() {
    // The examples share their objects (the quickstart uses the todo example's Namespace, Secret
    // and claim): every reference is looked up in all of them.
    List<JsonNode> docs = new ArrayList<>();
    for (Path file : exampleManifests()) {
      docs.addAll(CrdTestSupport.readYamlDocuments(file));
    }
    for (JsonNode schema : docs) {
      if (!"DatabaseSchema".equals(schema.path("kind").asText())) {
        continue;
      }
      String ns = schema.path("metadata").path("namespace").asText();
      String where = "DatabaseSchema " + ns + "/" + schema.path("metadata").path("name").asText();
      JsonNode db = schema.path("spec").path("database");
      assertThat(find(docs, "Namespace", ns, null)).as("%s: Namespace %s", where, ns).isNotNull();
      if (!db.has("cluster")) {
        // With a CloudNativePG cluster, CloudNativePG makes the credentials Secret.
        JsonNode secret = find(docs, "Secret", db.path("credentialsSecret").asText(), ns);
        assertThat(secret).as("%s: its credentials Secret in the examples", where).isNotNull();
        for (String key :
            List.of(
                db.path("usernameKey").asText("username"),
                db.path("passwordKey").asText("password"))) {
          assertThat(secret.path("stringData").has(key) || secret.path("data").has(key))
              .as("%s: Secret key %s", where, key)
              .isTrue();
        }
      }
      JsonNode backup = schema.path("spec").path("backup");
      if (backup.path("enabled").asBoolean(true)) {
        assertThat(find(docs, "PersistentVolumeClaim", backup.path("volumeClaim").asText(), ns))
            .as("%s: its backup volume claim in the examples", where)
            .isNotNull();
      }
    }
  }

  private static JsonNode find(List<JsonNode> docs, String kind, String name, String namespace) {
    return docs.stream()
        .filter(
            d ->
                kind.equals(d.path("kind").asText())
                    && name.equals(d.path("metadata").path("name").asText()))
        .filter(
            d ->
                namespace == null
                    || namespace.equals(d.path("metadata").path("namespace").asText()))
        .findFirst()
        .orElse(null);
  }

  @TestFactory
  Stream<DynamicTest> validEdgeCasesAreAccepted() {
    List<Path> files = yamlFiles(MANIFESTS.resolve("valid"));
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      for (JsonNode doc : CrdTestSupport.readYamlDocuments(f)) {
                        assertValid(doc);
                      }
                    }));
  }

  @Test
  void revisionEdgeCases() {
    for (String revision :
        List.of("0", "7", "2025.01.31.2", "2025_01_31_2", "1.2_3", "latest", "007")) {
      assertThat(validate(withSpec("targetRevision", revision)))
          .as("targetRevision %s", revision)
          .isEmpty();
    }
    for (String revision :
        List.of(
            "",
            "abc",
            "Latest",
            "v7",
            "7.",
            ".7",
            "7..1",
            "-1",
            "1e3",
            "7 ",
            "1; DROP TABLE users",
            "$(rm -rf /)",
            "../7",
            "`id`",
            "7\n8",
            "1".repeat(65))) {
      assertThat(fields(validate(withSpec("targetRevision", revision))))
          .as("targetRevision %s", revision)
          .containsExactly("spec.targetRevision");
    }
  }

  @Test
  void hostEdgeCases() {
    for (String host :
        List.of(
            "10.0.0.12",
            "todo-postgres-rw",
            "todo-postgres-rw.shop.svc.cluster.local",
            "DB1.example.com",
            "a")) {
      assertThat(validate(withDatabase("host", host))).as("host %s", host).isEmpty();
    }
    for (String host :
        List.of(
            "",
            "-db",
            "db-",
            "todo postgres",
            "db;id",
            "user@db",
            "db:5432",
            "db/x",
            "$(id)",
            "db\n",
            "'db'",
            "a".repeat(254))) {
      assertThat(fields(validate(withDatabase("host", host))))
          .as("host %s", host)
          .containsExactly("spec.database.host");
    }
  }

  // ---------------------------------------------------------------------------------------
  // Invalid and hostile manifests.

  @Test
  void thereAreEnoughHostileManifests() {
    assertThat(yamlFiles(MANIFESTS.resolve("invalid"))).hasSizeGreaterThanOrEqualTo(15);
  }

  @TestFactory
  Stream<DynamicTest> invalidManifestsAreRejectedNamingTheField() {
    return yamlFiles(MANIFESTS.resolve("invalid")).stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      String text = Files.readString(f, StandardCharsets.UTF_8);
                      Matcher field = FIELD_COMMENT.matcher(text);
                      assertThat(field.find())
                          .as("%s has a '# field: spec.x.y' comment naming the rejected field", f)
                          .isTrue();
                      assertThat(TRIES_COMMENT.matcher(text).find())
                          .as("%s has a '# tries: ...' comment saying what it tries", f)
                          .isTrue();
                      String expected = field.group(1);
                      List<JsonNode> docs = CrdTestSupport.readYamlDocuments(f);
                      assertThat(docs).hasSize(1);
                      List<Violation> violations = validate(docs.get(0));
                      assertThat(violations)
                          .as("%s must be rejected", f.getFileName())
                          .isNotEmpty();
                      assertThat(fields(violations))
                          .as(
                              "%s is rejected for %s, and for nothing else: %s",
                              f.getFileName(), expected, violations)
                          .containsExactly(expected);
                    }));
  }

  // ---------------------------------------------------------------------------------------
  // The emulation of the CEL rules and the model.

  @Test
  void everyCelRuleIsEmulated() {
    Set<String> declared = new TreeSet<>();
    collectRules(crdSchema, declared);
    assertThat(declared)
        .as(
            "x-kubernetes-validations in the CRD; a new or changed rule needs its emulation in CrdSchemaValidationTest.CEL")
        .isEqualTo(new TreeSet<>(CEL.keySet()));
  }

  @Test
  void celRulesRejectWhatTheyShould() {
    JsonNode noBackup = without(base(), "backup");
    assertThat(fields(validate(noBackup))).containsExactly("spec.backup.volumeClaim");
    assertThat(validate(withSpec("backup", obj("enabled", false)))).isEmpty();
    assertThat(fields(validate(withSpec("backup", obj("keep", 3)))))
        .containsExactly("spec.backup.volumeClaim");
    ObjectNode restoreWithoutBackups = withSpec("backup", obj("enabled", false));
    ((ObjectNode) restoreWithoutBackups.get("spec")).set("rollback", obj("strategy", "Restore"));
    assertThat(fields(validate(restoreWithoutBackups))).containsExactly("spec.rollback.strategy");
    ObjectNode restoreWithBackups = withSpec("rollback", obj("strategy", "Restore"));
    assertThat(validate(restoreWithBackups)).isEmpty();
  }

  /** Whatever the CRD accepts, the operator's model reads, with the same defaults. */
  @TestFactory
  Stream<DynamicTest> validManifestsReadIntoTheModelWithTheSameDefaults() {
    List<Path> files = new ArrayList<>(exampleManifests());
    files.addAll(yamlFiles(MANIFESTS.resolve("valid")));
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : files) {
      for (JsonNode doc : CrdTestSupport.readYamlDocuments(file)) {
        if (!"DatabaseSchema".equals(doc.path("kind").asText())) {
          continue;
        }
        tests.add(
            DynamicTest.dynamicTest(
                file.getFileName().toString(),
                () -> {
                  DatabaseSchema resource =
                      serialization.unmarshal(
                          CrdTestSupport.JSON.writeValueAsString(doc), DatabaseSchema.class);
                  JsonNode specSchema = crdSchema.path("properties").path("spec");
                  // Through JSON text, so that an int read as a Long compares equal to the same int
                  // read from YAML.
                  JsonNode byModel =
                      CrdTestSupport.JSON.readTree(
                          CrdTestSupport.JSON.writeValueAsString(resource.getSpec()));
                  JsonNode byApiServer =
                      intOrStringAsText(defaulted(doc.get("spec"), specSchema), specSchema);
                  assertThat(byModel)
                      .as("spec as the model reads it vs. as the API server stores it")
                      .isEqualTo(byApiServer);
                }));
      }
    }
    return tests.stream();
  }

  // ---------------------------------------------------------------------------------------

  record Violation(String field, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  static List<Violation> validate(JsonNode manifest) {
    List<Violation> out = new ArrayList<>();
    for (ValidationMessage m : validator.validate(manifest)) {
      out.add(new Violation(fieldOf(m), m.getMessage()));
    }
    JsonNode spec = manifest.get("spec");
    if (spec != null && spec.isObject()) {
      JsonNode specSchema = crdSchema.path("properties").path("spec");
      JsonNode defaultedSpec = defaulted(spec, specSchema);
      for (JsonNode rule : specSchema.path("x-kubernetes-validations")) {
        Predicate<JsonNode> emulation = CEL.get(rule.path("rule").asText());
        if (emulation != null && !emulation.test(defaultedSpec)) {
          out.add(
              new Violation(
                  "spec" + rule.path("fieldPath").asText(), rule.path("message").asText()));
        }
      }
    }
    return out;
  }

  private static void assertValid(JsonNode doc) {
    assertThat(validate(doc))
        .as("violations of %s", doc.path("metadata").path("name").asText())
        .isEmpty();
  }

  /** The field a validator message is about, as spec.a.b[0].c. */
  private static String fieldOf(ValidationMessage m) {
    String location = m.getInstanceLocation().toString();
    String field =
        location.equals("$")
            ? ""
            : location.startsWith("$.") ? location.substring(2) : location.substring(1);
    if (("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))
        && m.getProperty() != null) {
      field = field.isEmpty() ? m.getProperty() : field + "." + m.getProperty();
    }
    return field;
  }

  private static List<String> fields(List<Violation> violations) {
    return violations.stream().map(Violation::field).distinct().collect(Collectors.toList());
  }

  /**
   * A copy of a CRD schema the JSON Schema validator understands: x-kubernetes-* dropped, and, when
   * strict, unknown fields refused as kubectl's strict field validation does.
   */
  static ObjectNode forValidator(JsonNode schema, boolean strict) {
    ObjectNode copy = schema.deepCopy();
    boolean preserve = copy.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    // The API server matches patterns with Go's RE2, where $ is the end of the text; in Java,
    // $ also matches before a final line break ("db\n" would pass). \z is RE2's $ in Java.
    String pattern = copy.path("pattern").asText();
    if (pattern.endsWith("$") && !pattern.endsWith("\\$")) {
      copy.put("pattern", pattern.substring(0, pattern.length() - 1) + "\\z");
    }
    for (Iterator<String> it = copy.fieldNames(); it.hasNext(); ) {
      if (it.next().startsWith("x-kubernetes-")) {
        it.remove();
      }
    }
    if (copy.has("properties")) {
      ObjectNode props = (ObjectNode) copy.get("properties");
      List<String> names = new ArrayList<>();
      props.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        props.set(name, forValidator(props.get(name), strict));
      }
      if (strict && !preserve && !copy.has("additionalProperties")) {
        copy.put("additionalProperties", false);
      }
    }
    if (copy.has("items")) {
      copy.set("items", forValidator(copy.get("items"), strict));
    }
    if (copy.path("additionalProperties").isObject()) {
      copy.set("additionalProperties", forValidator(copy.get("additionalProperties"), strict));
    }
    for (String junctor : List.of("anyOf", "allOf", "oneOf")) {
      if (copy.has(junctor)) {
        ArrayNode subs = JsonNodeFactory.instance.arrayNode();
        copy.get(junctor).forEach(s -> subs.add(forValidator(s, strict)));
        copy.set(junctor, subs);
      }
    }
    return copy;
  }

  /** The object with the schema's defaults applied, as the API server does before validation. */
  static JsonNode defaulted(JsonNode value, JsonNode schema) {
    if (value == null || value.isNull()) {
      return value;
    }
    if (value.isObject() && schema.has("properties")) {
      ObjectNode copy = ((ObjectNode) value).deepCopy();
      schema
          .get("properties")
          .fields()
          .forEachRemaining(
              e -> {
                if (!copy.has(e.getKey()) && e.getValue().has("default")) {
                  copy.set(e.getKey(), e.getValue().get("default").deepCopy());
                }
                if (copy.has(e.getKey())) {
                  copy.set(e.getKey(), defaulted(copy.get(e.getKey()), e.getValue()));
                }
              });
      return copy;
    }
    if (value.isArray() && schema.has("items")) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      value.forEach(v -> copy.add(defaulted(v, schema.get("items"))));
      return copy;
    }
    return value;
  }

  /** A quantity such as cpu: 1 is an int-or-string; the model reads it as the string "1". */
  private static JsonNode intOrStringAsText(JsonNode value, JsonNode schema) {
    if (value == null) {
      return null;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean() && value.isNumber()) {
      return JsonNodeFactory.instance.textNode(value.asText());
    }
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      value
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode sub =
                    schema.path("properties").has(e.getKey())
                        ? schema.path("properties").path(e.getKey())
                        : schema.path("additionalProperties");
                copy.set(e.getKey(), intOrStringAsText(e.getValue(), sub));
              });
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      value.forEach(v -> copy.add(intOrStringAsText(v, schema.path("items"))));
      return copy;
    }
    return value;
  }

  private static void collectRules(JsonNode schema, Set<String> out) {
    schema.path("x-kubernetes-validations").forEach(r -> out.add(r.path("rule").asText()));
    schema.path("properties").forEach(p -> collectRules(p, out));
    if (schema.has("items")) {
      collectRules(schema.get("items"), out);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectRules(schema.get("additionalProperties"), out);
    }
  }

  /** A valid, small manifest that the edge-case tests change one field of. */
  static ObjectNode base() {
    return (ObjectNode)
        CrdTestSupport.readYaml(
            """
        apiVersion: db.tidemark.io/v1alpha1
        kind: DatabaseSchema
        metadata:
          name: todo
          namespace: shop
        spec:
          database:
            host: todo-postgres-rw
            name: todo
            credentialsSecret: todo-db
          migrations:
            image: registry.example.com/todo-migrations:1.7.0
          backup:
            volumeClaim: todo-backups
        """);
  }

  private static ObjectNode withSpec(String field, Object value) {
    ObjectNode m = base();
    ((ObjectNode) m.get("spec")).set(field, CrdTestSupport.JSON.valueToTree(value));
    return m;
  }

  private static ObjectNode withDatabase(String field, Object value) {
    ObjectNode m = base();
    ((ObjectNode) m.get("spec").get("database")).set(field, CrdTestSupport.JSON.valueToTree(value));
    return m;
  }

  private static ObjectNode without(ObjectNode m, String specField) {
    ((ObjectNode) m.get("spec")).remove(specField);
    return m;
  }

  private static ObjectNode obj(String field, Object value) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set(field, CrdTestSupport.JSON.valueToTree(value));
    return o;
  }

  private static List<Path> exampleManifests() {
    Path examples = CrdTestSupport.repoRoot().resolve("examples");
    try (Stream<Path> s = Files.walk(examples)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !p.toString().contains("/migrations/"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
