package io.tidemark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's own check of a spec, for clusters (or clients) that skip the CRD's validation:
 * every invalid manifest the API server refuses, the operator refuses too, naming the same field.
 */
class SpecValidatorTest {
  private static final Path MANIFESTS = Path.of("src", "test", "resources", "manifests");
  private static final java.util.regex.Pattern FIELD =
      java.util.regex.Pattern.compile("(?m)^#\\s*field:\\s*(\\S+)\\s*$");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * Manifests only the schema's structure can refuse: the model cannot even hold what they say (a
   * misspelt key, a number as text, an unknown enum value), so the operator never sees them as
   * written; the API server refuses them, and a lenient client gets them pruned.
   */
  private static final Map<String, String> STRUCTURAL_ONLY =
      Map.of(
          "23-port-as-text.yaml", "a port as text does not read into the model",
          "24-sslmode-bogus.yaml", "an unknown sslmode does not read into the model",
          "25-sslmode-misspelt-key.yaml", "an unknown key is pruned by the API server",
          "35-pull-policy-bogus.yaml", "an unknown pull policy does not read into the model",
          "41-rollback-strategy-nuke.yaml", "an unknown strategy does not read into the model",
          "42-workload-kind-pod.yaml", "an unknown workload kind does not read into the model",
          "50-toleration-effect-bogus.yaml", "a toleration's effect is checked by the API server",
          "51-suspend-as-text.yaml", "a boolean as text does not read into the model",
          "52-privileged-job-template.yaml",
              "securityContext is not a field of the model: pruned, never applied");

  @TestFactory
  Stream<DynamicTest> everyInvalidManifestIsRefusedByTheOperatorToo() throws IOException {
    return forEachManifest(
        "invalid",
        file -> {
          String text = Files.readString(file);
          Matcher field = FIELD.matcher(text);
          assertThat(field.find()).as("%s names its field in a '# field:' comment", file).isTrue();
          DatabaseSchema resource;
          try {
            resource = SERIALIZATION.unmarshal(text, DatabaseSchema.class);
          } catch (RuntimeException unreadable) {
            assertThat(STRUCTURAL_ONLY)
                .as("%s does not read into the model: %s", file, unreadable.getMessage())
                .containsKey(file.getFileName().toString());
            return;
          }
          List<String> problems = SpecValidator.problems(resource);
          if (STRUCTURAL_ONLY.containsKey(file.getFileName().toString()) && problems.isEmpty()) {
            return;
          }
          assertThat(problems)
              .as("the operator's verdict on %s", file.getFileName())
              .anySatisfy(p -> assertThat(p).startsWith(field.group(1)));
        });
  }

  @TestFactory
  Stream<DynamicTest> everyValidManifestIsAccepted() throws IOException {
    return forEachManifest(
        "valid",
        file -> {
          for (JsonNode doc :
              YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
            DatabaseSchema resource = SERIALIZATION.unmarshal(doc.toString(), DatabaseSchema.class);
            assertThat(SpecValidator.problems(resource))
                .as("the operator's verdict on %s", file.getFileName())
                .isEmpty();
          }
        });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "500", "999999999", "999999999ms", "999999s", "9999min", "596h", "0h", "10s"})
  void timeoutsWithinPostgreSqlsRangeAreAccepted(String timeout) {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getSpec().getMigrations().setLockTimeout(timeout);
    r.getSpec().getMigrations().setStatementTimeout(timeout);
    assertThat(SpecValidator.problems(r)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "597h",
        "999999999h",
        "1000000s",
        "10000min",
        "9999999999",
        "1d",
        "-1s",
        "1.5h",
        ""
      })
  void timeoutsBeyondPostgreSqlsRangeAreRefusedBeforeAnythingRuns(String timeout) {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getSpec().getMigrations().setLockTimeout(timeout);
    assertThat(SpecValidator.problems(r))
        .singleElement()
        .asString()
        .startsWith("spec.migrations.lockTimeout")
        .contains("PostgreSQL");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "..data", "../password", "a/b", ""})
  void secretKeysTheKubeletWouldNotProjectAreRefused(String key) {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getSpec().getDatabase().setPasswordKey(key);
    assertThat(SpecValidator.problems(r))
        .singleElement()
        .asString()
        .startsWith("spec.database.passwordKey");
  }

  @ParameterizedTest
  @ValueSource(strings = {"password", ".password", "pass.word", "PASSWORD_1", "-"})
  void ordinarySecretKeysAreAccepted(String key) {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getSpec().getDatabase().setPasswordKey(key);
    assertThat(SpecValidator.problems(r)).isEmpty();
  }

  @Test
  void schemasAreDistinctPlainNamesOneToSixteen() {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getSpec().setSchemas(List.of("app", "audit"));
    assertThat(SpecValidator.problems(r)).isEmpty();
    r.getSpec().setSchemas(List.of("app", "audit", "app"));
    assertThat(SpecValidator.problems(r))
        .singleElement()
        .asString()
        .isEqualTo("spec.schemas[2] names app a second time");
    r.getSpec().setSchemas(List.of("App"));
    assertThat(SpecValidator.problems(r)).singleElement().asString().startsWith("spec.schemas[0]");
    r.getSpec().setSchemas(java.util.stream.IntStream.range(0, 17).mapToObj(i -> "s" + i).toList());
    assertThat(SpecValidator.problems(r))
        .singleElement()
        .asString()
        .startsWith("spec.schemas names 17 schemas");
  }

  @Test
  void revisionsAreBoundedInLengthAndPerPart() {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getSpec().setTargetRevision("1".repeat(30));
    assertThat(SpecValidator.problems(r)).isEmpty();
    r.getSpec().setTargetRevision("00002");
    assertThat(SpecValidator.problems(r)).isEmpty();
    r.getSpec().setTargetRevision("1".repeat(31));
    assertThat(SpecValidator.problems(r))
        .singleElement()
        .asString()
        .startsWith("spec.targetRevision");
    r.getSpec().setTargetRevision("123." + "2".repeat(30) + "." + "3".repeat(30));
    assertThat(r.getSpec().getTargetRevision())
        .hasSizeGreaterThan(DatabaseSchemaSpec.REVISION_MAX_LENGTH);
    assertThat(SpecValidator.problems(r))
        .singleElement()
        .asString()
        .startsWith("spec.targetRevision");
  }

  @Test
  void annotationsThatWouldLoosenPodSecurityAreRefusedByName() {
    DatabaseSchema r = FlowFixture.resource("todo");
    r.getSpec().setJobTemplate(new io.tidemark.operator.model.JobTemplateSpec());
    r.getSpec()
        .getJobTemplate()
        .setAnnotations(
            Map.of(
                "container.apparmor.security.beta.kubernetes.io/runner", "unconfined",
                "container.seccomp.security.alpha.kubernetes.io/runner", "unconfined",
                "sidecar.istio.io/inject", "false"));
    assertThat(SpecValidator.problems(r))
        .hasSize(2)
        .allSatisfy(
            p ->
                assertThat(p)
                    .startsWith("spec.jobTemplate.annotations")
                    .contains("Pod Security")
                    .doesNotContain("sidecar"));
  }

  @Test
  void aRollbackWindowIsBoundedSoThatNoTimeOverflows() {
    DatabaseSchema r = FlowFixture.resource("todo");
    io.tidemark.operator.model.RollbackSpec rollback =
        new io.tidemark.operator.model.RollbackSpec();
    io.tidemark.operator.model.OnFailedRollout onFailed =
        new io.tidemark.operator.model.OnFailedRollout();
    io.tidemark.operator.model.WorkloadRef ref = new io.tidemark.operator.model.WorkloadRef();
    ref.setKind(io.tidemark.operator.model.WorkloadRef.WorkloadKind.Deployment);
    ref.setName("web");
    onFailed.getWorkloads().add(ref);
    rollback.setOnFailedRollout(onFailed);
    r.getSpec().setRollback(rollback);
    for (String window :
        List.of("99999999999999999h", "9999999999h", "1h 2m", "1.5h", "-3m", "0s")) {
      onFailed.setWindow(window);
      assertThat(SpecValidator.problems(r))
          .as(window)
          .singleElement()
          .asString()
          .startsWith("spec.rollback.onFailedRollout.window");
    }
    onFailed.setWindow("9999h59m59s");
    assertThat(SpecValidator.problems(r)).isEmpty();
  }

  /** One dynamic test per manifest in the test manifests' {@code folder}, in name order. */
  private static Stream<DynamicTest> forEachManifest(String folder, ManifestCheck check)
      throws IOException {
    try (Stream<Path> files = Files.list(MANIFESTS.resolve(folder))) {
      return files.sorted().toList().stream()
          .map(
              file ->
                  DynamicTest.dynamicTest(file.getFileName().toString(), () -> check.accept(file)));
    }
  }

  private interface ManifestCheck {
    void accept(Path file) throws Throwable;
  }
}
