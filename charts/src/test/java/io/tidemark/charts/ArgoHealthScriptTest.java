package io.tidemark.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.luaj.vm2.lib.jse.JseOsLib;

/**
 * Runs the Argo CD health check and resource actions of DatabaseSchema
 * (charts/tidemark/argocd/resource_customizations/db.tidemark.io/DatabaseSchema/, Argo CD's
 * contribution layout) as Argo CD does: the resource, decoded from JSON into Lua tables, is the
 * global {@code obj}, in a Lua environment with Argo CD's libraries only (base, table, string,
 * math, and of os only time and date). The health script returns {status, message}; discovery
 * returns the actions; an action returns the changed object. Runs health_test.yaml and
 * actions/action_test.yaml as Argo CD's own TestLuaHealthScript and TestLuaResourceActionsScript
 * do, plus cases built here.
 */
class ArgoHealthScriptTest {
  static final Path DIR =
      Path.of("tidemark", "argocd", "resource_customizations", "db.tidemark.io", "DatabaseSchema");
  static final Path SCRIPT = DIR.resolve("health.lua");
  static final Path ACTIONS = DIR.resolve("actions");
  static final List<String> ACTION_NAMES = List.of("retry", "suspend", "resume", "approve");
  static final String RETRY_ANNOTATION = "db.tidemark.io/retry";
  static final ObjectMapper JSON = new ObjectMapper();

  record Health(String status, String message) {}

  // ----------------------------------------------------------------------------- Healthy

  @Test
  void readyForTheCurrentGenerationIsHealthy() {
    assertHealth(schema(4, 4, "Ready", readyAtRevision7(4L)), "Healthy").contains("revision 7");
  }

  @Test
  void readyConditionWithoutItsOwnObservedGenerationIsHealthyWhenTheStatusIsCurrent() {
    assertHealth(schema(4, 4, "Ready", readyAtRevision7(null)), "Healthy");
  }

  // ------------------------------------------------------------------------- Progressing

  @Test
  void readyButForAnOlderGenerationIsProgressing() {
    assertHealth(schema(5, 4, "Ready", readyAtRevision7(4L)), "Progressing")
        .contains("generation 5");
  }

  @Test
  void readyConditionForAnOlderGenerationIsProgressing() {
    assertHealth(schema(5, 5, "Ready", readyAtRevision7(4L)), "Progressing")
        .contains("generation 5");
  }

  @Test
  void statusWithoutObservedGenerationIsProgressing() {
    ObjectNode schema = schema(2, 2, "Ready", readyAtRevision7(2L));
    ((ObjectNode) schema.path("status")).remove("observedGeneration");
    assertHealth(schema, "Progressing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pending", "Planning", "BackingUp", "Migrating", "RollingBack"})
  void everyStepOfTheFlowIsProgressing(String phase) {
    assertHealth(
            schema(
                3,
                3,
                phase,
                cond("Ready", "False", phase, "Not at the target yet", 3L),
                cond("Progressing", "True", phase, "Job todo-migrate-8-9 running", 3L)),
            "Progressing")
        .startsWith(phase + ":")
        .contains("todo-migrate-8-9");
  }

  @Test
  void noStatusAtAllIsProgressing() {
    ObjectNode schema = schema(1, 1, "Ready");
    schema.remove("status");
    assertHealth(schema, "Progressing").contains("Waiting");
  }

  @Test
  void emptyStatusIsProgressing() {
    ObjectNode schema = schema(1, 1, "Ready");
    schema.set("status", JSON.createObjectNode());
    assertHealth(schema, "Progressing");
  }

  @Test
  void failedForAnOlderGenerationIsProgressingBecauseTheNewSpecMayFixIt() {
    assertHealth(
        schema(6, 5, "Failed", cond("Degraded", "True", "MigrationFailed", "V6 failed", 5L)),
        "Progressing");
  }

  @Test
  void readyPhaseWithReadyConditionNotTrueIsNotHealthy() {
    assertHealth(
            schema(2, 2, "Ready", cond("Ready", "Unknown", "Checking", "Re-planning", 2L)),
            "Progressing")
        .contains("Re-planning");
  }

  // ---------------------------------------------------------------------------- Degraded

  @Test
  void failedIsDegradedWithTheDegradedConditionsMessage() {
    assertHealth(
            schema(
                3,
                3,
                "Failed",
                cond("Ready", "False", "MigrationFailed", "Not at the target", 3L),
                cond(
                    "Degraded",
                    "True",
                    "MigrationFailed",
                    "V8__add_index.sql failed: relation \"tasks\" does not exist",
                    3L)),
            "Degraded")
        .isEqualTo(
            "Failed: MigrationFailed: V8__add_index.sql failed: relation \"tasks\" does not exist");
  }

  @Test
  void blockedIsDegradedWithTheDegradedConditionsMessage() {
    assertHealth(
            schema(
                3,
                3,
                "Blocked",
                cond(
                    "Degraded",
                    "True",
                    "RolledBack",
                    "Deployment todo-api failed its rollout; schema undone to 7",
                    3L)),
            "Degraded")
        .isEqualTo(
            "Blocked: RolledBack: Deployment todo-api failed its rollout; schema undone to 7");
  }

  @Test
  void failedWithoutADegradedConditionStillSaysWhy() {
    assertHealth(
            schema(
                3,
                3,
                "Failed",
                cond("Ready", "False", "ValidationFailed", "V3 differs from the image", 3L)),
            "Degraded")
        .contains("V3 differs from the image");
  }

  @Test
  void failedWithOnlyLastFailureStillSaysWhy() {
    ObjectNode schema = schema(3, 3, "Failed");
    lastFailure(schema)
        .put("step", "migrate")
        .put("reason", "MigrationFailed")
        .put("message", "V8__add_index.sql failed");
    assertHealth(schema, "Degraded").isEqualTo("Failed: MigrationFailed: V8__add_index.sql failed");
  }

  // ------------------------------------------- transient failures: Tidemark retries by itself

  /** The reasons the operator records as transient (JobInspector, RunRecords.isTransient). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "ConnectionFailed",
        "MigrationLockHeld",
        "CredentialsUnavailable",
        "ImagePullFailed"
      })
  void aFailureTidemarkRetriesByItselfIsProgressing(String reason) {
    // Only the Ready condition names it.
    assertHealth(
            schema(3, 3, "Failed", cond("Ready", "False", reason, "cannot go on yet", 3L)),
            "Progressing")
        .isEqualTo("Retrying with backoff: " + reason + ": cannot go on yet");

    // Only lastFailure names it.
    ObjectNode schema = schema(3, 3, "Failed");
    lastFailure(schema)
        .put("step", "plan")
        .put("reason", reason)
        .put("message", "the plan Job cannot start");
    assertHealth(schema, "Progressing");
  }

  @Test
  void anyFailureMarkedTransientIsProgressing() {
    ObjectNode schema =
        schema(
            3,
            3,
            "Failed",
            cond("Degraded", "True", "SomeFutureReason", "the database is restarting", 3L));
    lastFailure(schema)
        .put("reason", "SomeFutureReason")
        .put("message", "the database is restarting")
        .put("transientFailure", true);
    assertHealth(schema, "Progressing")
        .isEqualTo("Retrying with backoff: SomeFutureReason: the database is restarting");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ConnectionFailed", "ImagePullFailed"})
  void blockedIsDegradedWhateverItsReason(String reason) {
    assertHealth(schema(3, 3, "Blocked", cond("Degraded", "True", reason, "held", 3L)), "Degraded");
  }

  // --------------------------------------------------------------------------- Suspended

  @Test
  void suspendedPhaseIsSuspended() {
    assertHealth(schema(2, 2, "Suspended"), "Suspended");
  }

  @Test
  void specSuspendIsSuspendedEvenBeforeTheOperatorNoticed() {
    ObjectNode schema = schema(3, 2, "Ready", readyAtRevision7(2L));
    ((ObjectNode) schema.path("spec")).put("suspend", true);
    assertHealth(schema, "Suspended");
  }

  // ------------------------------------------------ Argo CD's test files: health_test.yaml

  @TestFactory
  Stream<DynamicTest> healthTestYamlAsArgoCdRunsIt() {
    JsonNode tests = Manifests.readYaml(DIR.resolve("health_test.yaml")).path("tests");
    assertThat(tests.size()).isGreaterThanOrEqualTo(10);
    Set<String> statuses = new TreeSet<>();
    List<DynamicTest> cases = new ArrayList<>();
    for (JsonNode test : tests) {
      String input = test.path("inputPath").asText();
      String status = test.at("/healthStatus/status").asText();
      String message = test.at("/healthStatus/message").asText();
      statuses.add(status);
      cases.add(
          DynamicTest.dynamicTest(
              input + " is " + status,
              () -> {
                Health h = health(Manifests.readYaml(DIR.resolve(input)));
                assertThat(h).isEqualTo(new Health(status, message));
              }));
    }
    assertThat(statuses)
        .as("every health status is tested")
        .containsExactly("Degraded", "Healthy", "Progressing", "Suspended");
    return cases.stream();
  }

  @Test
  void everyTestdataFileIsUsed() throws IOException {
    Set<String> used = new TreeSet<>();
    Manifests.readYaml(DIR.resolve("health_test.yaml"))
        .path("tests")
        .forEach(t -> used.add(DIR.resolve(t.path("inputPath").asText()).normalize().toString()));
    JsonNode actionTests = Manifests.readYaml(ACTIONS.resolve("action_test.yaml"));
    actionTests
        .path("discoveryTests")
        .forEach(
            t -> used.add(ACTIONS.resolve(t.path("inputPath").asText()).normalize().toString()));
    actionTests
        .path("actionTests")
        .forEach(
            t -> {
              used.add(ACTIONS.resolve(t.path("inputPath").asText()).normalize().toString());
              used.add(
                  ACTIONS.resolve(t.path("expectedOutputPath").asText()).normalize().toString());
            });
    try (Stream<Path> files =
        Stream.concat(
            Files.list(DIR.resolve("testdata")), Files.list(ACTIONS.resolve("testdata")))) {
      assertThat(used)
          .containsAll(files.map(p -> p.normalize().toString()).collect(Collectors.toList()));
    }
  }

  // ------------------------------------------ Argo CD's test files: actions/action_test.yaml

  @TestFactory
  Stream<DynamicTest> discoveryTestsAsArgoCdRunsThem() {
    JsonNode tests = Manifests.readYaml(ACTIONS.resolve("action_test.yaml")).path("discoveryTests");
    assertThat(tests.size()).isPositive();
    List<DynamicTest> cases = new ArrayList<>();
    for (JsonNode test : tests) {
      String input = test.path("inputPath").asText();
      cases.add(
          DynamicTest.dynamicTest(
              "discovery/" + input,
              () -> {
                Map<String, JsonNode> actual = discover(Manifests.readYaml(ACTIONS.resolve(input)));
                Map<String, JsonNode> expected = new TreeMap<>();
                for (JsonNode action : test.path("result")) {
                  ObjectNode copy = action.deepCopy();
                  copy.remove("name");
                  expected.put(action.path("name").asText(), copy);
                }
                // Argo CD only checks that each discovered action is listed; here the lists must be
                // equal.
                assertThat(actual).isEqualTo(expected);
              }));
    }
    return cases.stream();
  }

  @TestFactory
  Stream<DynamicTest> actionTestsAsArgoCdRunsThem() {
    JsonNode tests = Manifests.readYaml(ACTIONS.resolve("action_test.yaml")).path("actionTests");
    Set<String> tested = new TreeSet<>();
    List<DynamicTest> cases = new ArrayList<>();
    for (JsonNode test : tests) {
      String action = test.path("action").asText();
      String input = test.path("inputPath").asText();
      tested.add(action);
      cases.add(
          DynamicTest.dynamicTest(
              "actions/" + action + "/" + input,
              () -> {
                JsonNode before = Manifests.readYaml(ACTIONS.resolve(input));
                ObjectNode after = (ObjectNode) runAction(action, before);
                JsonNode expected =
                    Manifests.readYaml(ACTIONS.resolve(test.path("expectedOutputPath").asText()));
                if (action.equals("retry")) {
                  // The value is the time: new, numeric; then compared as the placeholder of the
                  // expected output.
                  String value =
                      after.at("/metadata/annotations").path(RETRY_ANNOTATION).asText(null);
                  assertThat(value)
                      .matches("[0-9]+(-[0-9]+)?")
                      .isNotEqualTo(
                          before.at("/metadata/annotations").path(RETRY_ANNOTATION).asText(null));
                  ((ObjectNode) after.at("/metadata/annotations"))
                      .put(
                          RETRY_ANNOTATION,
                          expected.at("/metadata/annotations").path(RETRY_ANNOTATION).asText());
                }
                assertThat(after).isEqualTo(expected);
              }));
    }
    assertThat(tested)
        .as("every action is tested")
        .containsExactlyInAnyOrderElementsOf(ACTION_NAMES);
    return cases.stream();
  }

  @Test
  void retryTwiceInTheSameSecondStillWritesANewValue() {
    ObjectNode schema = schema(3, 3, "Blocked");
    JsonNode once = runAction("retry", schema);
    JsonNode twice = runAction("retry", once);
    JsonNode thrice = runAction("retry", twice);
    List<String> values =
        Stream.of(once, twice, thrice)
            .map(o -> o.at("/metadata/annotations").path(RETRY_ANNOTATION).asText())
            .collect(Collectors.toList());
    assertThat(new TreeSet<>(values)).hasSize(3);
    // Nothing else changes.
    ObjectNode withoutAnnotation = thrice.deepCopy();
    ((ObjectNode) withoutAnnotation.path("metadata")).remove("annotations");
    assertThat(normalized(withoutAnnotation)).isEqualTo(normalized(schema));
  }

  @Test
  void everyActionDirectoryIsDiscoveredAndEveryDiscoveredActionHasItsScript() throws IOException {
    try (Stream<Path> dirs = Files.list(ACTIONS)) {
      assertThat(
              dirs.filter(Files::isDirectory)
                  .map(d -> d.getFileName().toString())
                  .filter(n -> !n.equals("testdata"))
                  .collect(Collectors.toList()))
          .containsExactlyInAnyOrderElementsOf(ACTION_NAMES);
    }
    assertThat(discover(schema(1, 1, "Ready")).keySet())
        .containsExactlyInAnyOrderElementsOf(ACTION_NAMES);
    for (String action : ACTION_NAMES) {
      assertThat(ACTIONS.resolve(action).resolve("action.lua")).isRegularFile();
    }
  }

  // ---------------------------------------------------------------- shipped with the chart

  /**
   * The chart README's argocd-cm snippet holds exactly the tested scripts: health.lua under the
   * health key, and discovery.lua and every action.lua under the actions key.
   */
  @Test
  void theReadmesArgoCdSnippetIsTheTestedScripts() throws IOException {
    String readme = Files.readString(Path.of("tidemark", "README.md"));
    int at = readme.indexOf("kind: ConfigMap\nmetadata:\n  name: argocd-cm");
    assertThat(at).as("README.md has the argocd-cm snippet").isPositive();
    int start = readme.lastIndexOf("```yaml\n", at) + "```yaml\n".length();
    String snippet = readme.substring(start, readme.indexOf("```", at));
    JsonNode data = Manifests.YAML.readTree(snippet).path("data");
    String stale =
        "README.md's argocd-cm snippet is stale; its expected text:\n" + argocdCmSnippet();
    assertThat(data.path(HEALTH_KEY).asText().stripTrailing())
        .as(stale)
        .isEqualTo(Files.readString(SCRIPT).stripTrailing());
    JsonNode actions = Manifests.YAML.readTree(data.path(ACTIONS_KEY).asText());
    assertThat(actions.path("discovery.lua").asText().stripTrailing())
        .as(stale)
        .isEqualTo(Files.readString(ACTIONS.resolve("discovery.lua")).stripTrailing());
    List<String> names = new ArrayList<>();
    for (JsonNode definition : actions.path("definitions")) {
      String name = definition.path("name").asText();
      names.add(name);
      assertThat(definition.path("action.lua").asText().stripTrailing())
          .as(stale)
          .isEqualTo(Files.readString(ACTIONS.resolve(name).resolve("action.lua")).stripTrailing());
    }
    assertThat(names).as(stale).containsExactlyElementsOf(ACTION_NAMES);
    assertThat(snippet.strip()).as(stale).isEqualTo(argocdCmSnippet().strip());
  }

  static final String HEALTH_KEY = "resource.customizations.health.db.tidemark.io_DatabaseSchema";
  static final String ACTIONS_KEY = "resource.customizations.actions.db.tidemark.io_DatabaseSchema";

  /** The argocd-cm snippet the README must show, built from the files. */
  static String argocdCmSnippet() throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\n")
        .append("  labels:\n    app.kubernetes.io/part-of: argocd\ndata:\n");
    b.append("  ").append(HEALTH_KEY).append(": |\n").append(indent(Files.readString(SCRIPT), 4));
    b.append("  ").append(ACTIONS_KEY).append(": |\n");
    b.append("    discovery.lua: |\n")
        .append(indent(Files.readString(ACTIONS.resolve("discovery.lua")), 6));
    b.append("    definitions:\n");
    for (String name : ACTION_NAMES) {
      b.append("      - name: ").append(name).append("\n");
      b.append("        action.lua: |\n")
          .append(indent(Files.readString(ACTIONS.resolve(name).resolve("action.lua")), 10));
    }
    return b.toString();
  }

  static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return text.stripTrailing()
            .lines()
            .map(l -> l.isEmpty() ? "" : pad + l)
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  // --------------------------------------------------------------------------- helpers

  /** Through JSON text and back: the same numbers become the same node types. */
  static JsonNode normalized(JsonNode node) {
    try {
      return JSON.readTree(JSON.writeValueAsString(node));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Health health(JsonNode resource) {
    try {
      LuaValue result = run(SCRIPT, resource);
      assertThat(result.istable()).as("the script returns a table").isTrue();
      String status = result.get("status").tojstring();
      assertThat(status)
          .isIn("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");
      assertThat(result.get("message").isstring()).as("hs.message is set").isTrue();
      return new Health(status, result.get("message").tojstring());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Asserts the health script's status for the resource, and returns the assertion on its message.
   */
  static AbstractStringAssert<?> assertHealth(JsonNode resource, String status) {
    Health h = health(resource);
    assertThat(h.status()).isEqualTo(status);
    return assertThat(h.message());
  }

  /** discovery.lua's actions, name to the rest of the action (disabled, iconClass, displayName). */
  static Map<String, JsonNode> discover(JsonNode resource) {
    try {
      LuaValue result = run(ACTIONS.resolve("discovery.lua"), resource);
      assertThat(result.istable()).as("discovery returns a table").isTrue();
      Map<String, JsonNode> actions = new TreeMap<>();
      LuaValue k = LuaValue.NIL;
      while (true) {
        Varargs next = result.next(k);
        if ((k = next.arg1()).isnil()) {
          break;
        }
        actions.put(k.tojstring(), fromLua(next.arg(2), null));
      }
      return actions;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs actions/NAME/action.lua on a copy of the resource; returns the object it returns. */
  static JsonNode runAction(String name, JsonNode resource) {
    try {
      LuaValue result = run(ACTIONS.resolve(name).resolve("action.lua"), resource);
      assertThat(result.istable()).as("the action returns the object").isTrue();
      return fromLua(result, resource);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static LuaValue run(Path script, JsonNode resource) throws IOException {
    Globals globals = argoCdGlobals();
    globals.set("obj", toLua(JSON.readTree(JSON.writeValueAsString(resource))));
    return globals.load(Files.readString(script), script.getFileName().toString()).call();
  }

  /**
   * The libraries Argo CD gives resource scripts (util/lua: base, table, string, math, and a safe
   * os with time and date only): a script that uses io, os.execute or require fails here as it
   * would in Argo CD.
   */
  static Globals argoCdGlobals() {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new StringLib());
    globals.load(new JseMathLib());
    Globals withOs = new Globals();
    withOs.load(new JseBaseLib());
    withOs.load(new PackageLib());
    withOs.load(new JseOsLib());
    LuaTable os = new LuaTable();
    os.set("time", withOs.get("os").get("time"));
    os.set("date", withOs.get("os").get("date"));
    globals.set("os", os);
    for (String unsafe : List.of("package", "require", "dofile", "loadfile")) {
      globals.set(unsafe, LuaValue.NIL);
    }
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }

  /**
   * Lua back to JSON, as Argo CD does after an action: a table with keys 1..n is an array, an empty
   * table is an array where the input had one ({@code like}, the same place in the input),
   * otherwise an object; integral numbers are integers.
   */
  static JsonNode fromLua(LuaValue value, JsonNode like) {
    if (value.isnil()) {
      return JSON.nullNode();
    }
    if (value.type() == LuaValue.TBOOLEAN) {
      return JSON.getNodeFactory().booleanNode(value.toboolean());
    }
    if (value.type() == LuaValue.TNUMBER) {
      double d = value.todouble();
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return JSON.getNodeFactory().numberNode((int) d); // as YAML reads a small integer
      }
      return d == Math.rint(d) && !Double.isInfinite(d)
          ? JSON.getNodeFactory().numberNode((long) d)
          : JSON.getNodeFactory().numberNode(d);
    }
    if (value.type() == LuaValue.TSTRING) {
      return JSON.getNodeFactory().textNode(value.tojstring());
    }
    LuaTable table = value.checktable();
    int length = table.length();
    boolean array = length > 0 ? table.keyCount() == length : like != null && like.isArray();
    if (array) {
      ArrayNode list = JSON.createArrayNode();
      for (int i = 1; i <= length; i++) {
        list.add(fromLua(table.get(i), like != null && like.isArray() ? like.get(i - 1) : null));
      }
      return list;
    }
    ObjectNode object = JSON.createObjectNode();
    for (LuaValue key : table.keys()) {
      object.set(
          key.tojstring(),
          fromLua(table.get(key), like == null ? null : like.get(key.tojstring())));
    }
    return object;
  }

  /** JSON to Lua as Argo CD decodes an object: objects and arrays become tables, null nil. */
  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        table.set(e.getKey(), toLua(e.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      int i = 1;
      for (JsonNode item : node) {
        table.set(i++, toLua(item));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }

  static ObjectNode cond(
      String type, String status, String reason, String message, Long observedGeneration) {
    ObjectNode c = JSON.createObjectNode();
    c.put("type", type);
    c.put("status", status);
    c.put("reason", reason);
    c.put("message", message);
    c.put("lastTransitionTime", "2025-01-31T10:00:00Z");
    if (observedGeneration != null) {
      c.put("observedGeneration", observedGeneration);
    }
    return c;
  }

  /** The Ready condition of a schema migrated to revision 7. */
  static ObjectNode readyAtRevision7(Long observedGeneration) {
    return cond("Ready", "True", "Migrated", "At revision 7", observedGeneration);
  }

  /** Adds an empty status.lastFailure to the schema, for the caller to fill in. */
  static ObjectNode lastFailure(ObjectNode schema) {
    return ((ObjectNode) schema.path("status")).putObject("lastFailure");
  }

  static ObjectNode schema(
      long generation, long observedGeneration, String phase, ObjectNode... conditions) {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("apiVersion", "db.tidemark.io/v1alpha1");
    schema.put("kind", "DatabaseSchema");
    ObjectNode metadata = schema.putObject("metadata");
    metadata.put("name", "todo");
    metadata.put("namespace", "shop");
    metadata.put("generation", generation);
    ObjectNode spec = schema.putObject("spec");
    spec.putObject("database")
        .put("host", "todo-postgres-rw")
        .put("name", "todo")
        .put("credentialsSecret", "todo-db");
    spec.putObject("migrations").put("image", "registry.example.com/todo-migrations:1.7.0");
    spec.put("targetRevision", "latest");
    spec.put("suspend", false);
    ObjectNode status = schema.putObject("status");
    status.put("observedGeneration", observedGeneration);
    status.put("phase", phase);
    status.put("currentRevision", "7");
    status.put("targetRevision", "7");
    status.put("latestRevision", "7");
    status.putArray("pendingRevisions");
    ArrayNode list = status.putArray("conditions");
    for (ObjectNode c : conditions) {
      list.add(c);
    }
    return schema;
  }
}
