package io.tidemark.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs charts/tidemark/files/argocd-health.lua as Argo CD does: the resource, decoded from
 * JSON into Lua tables, is the global {@code obj}; the script returns {status, message}.
 */
class ArgoHealthScriptTest {
  static final Path SCRIPT = Path.of("tidemark", "files", "argocd-health.lua");
  static final ObjectMapper JSON = new ObjectMapper();

  record Health(String status, String message) {}

  // ----------------------------------------------------------------------------- Healthy

  @Test
  void readyForTheCurrentGenerationIsHealthy() {
    Health h = health(schema(4, 4, "Ready", cond("Ready", "True", "Migrated", "At revision 7", 4L)));
    assertThat(h.status()).isEqualTo("Healthy");
    assertThat(h.message()).contains("revision 7");
  }

  @Test
  void readyConditionWithoutItsOwnObservedGenerationIsHealthyWhenTheStatusIsCurrent() {
    Health h = health(schema(4, 4, "Ready", cond("Ready", "True", "Migrated", "At revision 7", null)));
    assertThat(h.status()).isEqualTo("Healthy");
  }

  // ------------------------------------------------------------------------- Progressing

  @Test
  void readyButForAnOlderGenerationIsProgressing() {
    Health h = health(schema(5, 4, "Ready", cond("Ready", "True", "Migrated", "At revision 7", 4L)));
    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).contains("generation 5");
  }

  @Test
  void readyConditionForAnOlderGenerationIsProgressing() {
    Health h = health(schema(5, 5, "Ready", cond("Ready", "True", "Migrated", "At revision 7", 4L)));
    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).contains("generation 5");
  }

  @Test
  void statusWithoutObservedGenerationIsProgressing() {
    ObjectNode schema = schema(2, 2, "Ready", cond("Ready", "True", "Migrated", "At revision 7", 2L));
    ((ObjectNode) schema.path("status")).remove("observedGeneration");
    assertThat(health(schema).status()).isEqualTo("Progressing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pending", "Planning", "BackingUp", "Migrating", "RollingBack"})
  void everyStepOfTheFlowIsProgressing(String phase) {
    Health h = health(schema(3, 3, phase,
        cond("Ready", "False", phase, "Not at the target yet", 3L),
        cond("Progressing", "True", phase, "Job todo-migrate-8-9 running", 3L)));
    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).startsWith(phase + ":").contains("todo-migrate-8-9");
  }

  @Test
  void noStatusAtAllIsProgressing() {
    ObjectNode schema = schema(1, 1, "Ready");
    schema.remove("status");
    Health h = health(schema);
    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).contains("Waiting");
  }

  @Test
  void emptyStatusIsProgressing() {
    ObjectNode schema = schema(1, 1, "Ready");
    schema.set("status", JSON.createObjectNode());
    assertThat(health(schema).status()).isEqualTo("Progressing");
  }

  @Test
  void failedForAnOlderGenerationIsProgressingBecauseTheNewSpecMayFixIt() {
    Health h = health(schema(6, 5, "Failed", cond("Degraded", "True", "MigrationFailed", "V6 failed", 5L)));
    assertThat(h.status()).isEqualTo("Progressing");
  }

  @Test
  void readyPhaseWithReadyConditionNotTrueIsNotHealthy() {
    Health h = health(schema(2, 2, "Ready", cond("Ready", "Unknown", "Checking", "Re-planning", 2L)));
    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message()).contains("Re-planning");
  }

  // ---------------------------------------------------------------------------- Degraded

  @Test
  void failedIsDegradedWithTheDegradedConditionsMessage() {
    Health h = health(schema(3, 3, "Failed",
        cond("Ready", "False", "MigrationFailed", "Not at the target", 3L),
        cond("Degraded", "True", "MigrationFailed", "V8__add_index.sql failed: relation \"tasks\" does not exist", 3L)));
    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message()).isEqualTo(
        "Failed: MigrationFailed: V8__add_index.sql failed: relation \"tasks\" does not exist");
  }

  @Test
  void blockedIsDegradedWithTheDegradedConditionsMessage() {
    Health h = health(schema(3, 3, "Blocked",
        cond("Degraded", "True", "RolledBack", "Deployment todo-api failed its rollout; schema undone to 7", 3L)));
    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message()).isEqualTo("Blocked: RolledBack: Deployment todo-api failed its rollout; schema undone to 7");
  }

  @Test
  void failedWithoutADegradedConditionStillSaysWhy() {
    Health h = health(schema(3, 3, "Failed", cond("Ready", "False", "ConnectionFailed", "cannot reach todo-postgres-rw", 3L)));
    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message()).contains("cannot reach todo-postgres-rw");
  }

  @Test
  void failedWithOnlyLastFailureStillSaysWhy() {
    ObjectNode schema = schema(3, 3, "Failed");
    ((ObjectNode) schema.path("status")).putObject("lastFailure").put("step", "plan").put("reason", "ImagePullFailed")
        .put("message", "image registry.example.com/todo-migrations:1.7.0 cannot be pulled");
    Health h = health(schema);
    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message()).isEqualTo(
        "Failed: ImagePullFailed: image registry.example.com/todo-migrations:1.7.0 cannot be pulled");
  }

  // --------------------------------------------------------------------------- Suspended

  @Test
  void suspendedPhaseIsSuspended() {
    assertThat(health(schema(2, 2, "Suspended")).status()).isEqualTo("Suspended");
  }

  @Test
  void specSuspendIsSuspendedEvenBeforeTheOperatorNoticed() {
    ObjectNode schema = schema(3, 2, "Ready", cond("Ready", "True", "Migrated", "At revision 7", 2L));
    ((ObjectNode) schema.path("spec")).put("suspend", true);
    assertThat(health(schema).status()).isEqualTo("Suspended");
  }

  // ---------------------------------------------------------------- shipped with the chart

  @Test
  void theReadmesArgoCdSnippetIsTheTestedScript() throws IOException {
    String script = Files.readString(SCRIPT);
    String readme = Files.readString(Path.of("tidemark", "README.md"));
    String key = "resource.customizations.health.db.tidemark.io_DatabaseSchema: |";
    int at = readme.indexOf(key);
    assertThat(at).as("README.md has the argocd-cm snippet").isPositive();
    String indent = "    ";
    List<String> snippet = readme.substring(readme.indexOf('\n', at) + 1).lines()
        .takeWhile(l -> l.isEmpty() || l.startsWith(indent))
        .map(l -> l.isEmpty() ? l : l.substring(indent.length()))
        .collect(Collectors.toList());
    while (!snippet.isEmpty() && snippet.get(snippet.size() - 1).isEmpty()) {
      snippet.remove(snippet.size() - 1);
    }
    assertThat(String.join("\n", snippet)).isEqualTo(script.stripTrailing());
  }

  // --------------------------------------------------------------------------- helpers

  static Health health(JsonNode resource) {
    try {
      Globals globals = JsePlatform.standardGlobals();
      globals.set("obj", toLua(JSON.readTree(JSON.writeValueAsString(resource))));
      LuaValue result = globals.load(Files.readString(SCRIPT), "argocd-health.lua").call();
      assertThat(result.istable()).as("the script returns a table").isTrue();
      String status = result.get("status").tojstring();
      assertThat(status).isIn("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");
      assertThat(result.get("message").isstring()).as("hs.message is set").isTrue();
      return new Health(status, result.get("message").tojstring());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
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

  static ObjectNode cond(String type, String status, String reason, String message, Long observedGeneration) {
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

  static ObjectNode schema(long generation, long observedGeneration, String phase, ObjectNode... conditions) {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("apiVersion", "db.tidemark.io/v1alpha1");
    schema.put("kind", "DatabaseSchema");
    ObjectNode metadata = schema.putObject("metadata");
    metadata.put("name", "todo");
    metadata.put("namespace", "shop");
    metadata.put("generation", generation);
    ObjectNode spec = schema.putObject("spec");
    spec.putObject("database").put("host", "todo-postgres-rw").put("name", "todo").put("credentialsSecret", "todo-db");
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
