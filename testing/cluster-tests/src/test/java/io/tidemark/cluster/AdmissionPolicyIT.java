package io.tidemark.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.JobTemplateSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's admission policy (admissionPolicy.*) as the real API server enforces it: its CEL
 * type-checks against the CRD's schema, a DatabaseSchema naming an image from another registry or a
 * ServiceAccount that is not allowed is refused with a message that names the value and the allowed
 * ones, what is allowed is created, metadata-only changes (annotations, finalizers) of a resource
 * made before the policy still go through, and namespaces outside the selector are not judged. The
 * binding selects namespaces by a label only this test sets, so that the other tests on the shared
 * control plane are not affected.
 */
class AdmissionPolicyIT {
  static final String LABEL = "tidemark-test/admission-policy";
  static final String JUDGED = "admission-judged";
  static final String NOT_JUDGED = "admission-free";
  static final String ALLOWED_IMAGE = "registry.example.com/todo-migrations:1.7.0";
  static final String OTHER_IMAGE = "docker.io/someone/migrations:latest";

  static KubernetesClient admin;
  static List<HasMetadata> policy;

  @BeforeAll
  static void installPolicy() {
    admin = ControlPlane.shared().admin();
    Crds.install(admin);
    namespace(NOT_JUDGED);
    namespace(JUDGED);
    // Made before the namespace is judged: an image the policy will not allow.
    admin.resource(schema(JUDGED, "before-policy", OTHER_IMAGE, s -> {})).create();

    Chart chart =
        Chart.render(
            admin,
            "tidemark-admission",
            Map.of(
                "admissionPolicy.enabled",
                "true",
                "admissionPolicy.allowedImages[0]",
                "registry.example.com/",
                "admissionPolicy.allowedImages[1]",
                "ghcr.io/tidemark/",
                "admissionPolicy.allowedServiceAccounts[0]",
                "default",
                "admissionPolicy.allowedServiceAccounts[1]",
                "schema-migrations",
                "admissionPolicy.namespaceSelector.matchLabels." + LABEL,
                "on"));
    policy =
        chart.manifests.stream()
            .filter(m -> m.getKind().startsWith("ValidatingAdmissionPolicy"))
            .toList();
    assertThat(policy).hasSize(2);
    policy.forEach(m -> admin.resource(m).createOr(NonDeletingOperation::update));
    admin
        .namespaces()
        .withName(JUDGED)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(LABEL, "on");
              return n;
            });

    // The API server's admission reads policies and namespaces from informers: wait until a
    // resource it must refuse is refused.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try {
                admin.resource(schema(JUDGED, "probe", OTHER_IMAGE, s -> {})).dryRun().create();
                return false;
              } catch (KubernetesClientException e) {
                return e.getCode() == 422;
              }
            });
  }

  @AfterAll
  static void removePolicy() {
    if (policy != null) {
      policy.forEach(m -> admin.resource(m).delete());
    }
  }

  @Test
  void everyExpressionTypeChecksAgainstTheCrdSchema() {
    String name = policy.get(0).getMetadata().getName();
    GenericKubernetesResource checked =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    admin
                        .genericKubernetesResources(
                            "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy")
                        .withName(name)
                        .get(),
                p ->
                    p.get("status") != null
                        && p.getMetadata()
                            .getGeneration()
                            .equals(
                                ((Number) ((Map<?, ?>) p.get("status")).get("observedGeneration"))
                                    .longValue()));
    Map<?, ?> typeChecking = (Map<?, ?>) ((Map<?, ?>) checked.get("status")).get("typeChecking");
    assertThat(typeChecking == null ? null : typeChecking.get("expressionWarnings"))
        .as("type-checking warnings of the policy's CEL")
        .isNull();
  }

  @Test
  void allowedImagesAndServiceAccountsAreCreated() {
    assertThat(admin.resource(schema(JUDGED, "allowed", ALLOWED_IMAGE, s -> {})).create())
        .isNotNull();
    DatabaseSchema named =
        schema(
            JUDGED,
            "allowed-named",
            "ghcr.io/tidemark/tidemark-migrate:0.1.0",
            s -> {
              s.getSpec().getBackup().setImage("registry.example.com/postgres:17-alpine");
              s.getSpec().setJobTemplate(jobTemplate("schema-migrations"));
            });
    assertThat(admin.resource(named).create()).isNotNull();
  }

  @Test
  void anImageFromAnotherRegistryIsRefusedWithTheAllowedPrefixes() {
    assertRefused(
        schema(JUDGED, "other-registry", OTHER_IMAGE, s -> {}),
        "ValidatingAdmissionPolicy 'tidemark-databaseschemas' with binding"
            + " 'tidemark-databaseschemas' denied request: spec.migrations.image "
            + OTHER_IMAGE
            + " is not allowed: images must start with one of registry.example.com/,"
            + " ghcr.io/tidemark/ (the chart value admissionPolicy.allowedImages of release"
            + " tidemark)");
    // A prefix is not a host that merely starts the same.
    assertRefused(
        schema(JUDGED, "look-alike", "registry.example.com.evil.io/x:1", s -> {}),
        "spec.migrations.image registry.example.com.evil.io/x:1 is not allowed");
    assertRefused(
        schema(
            JUDGED,
            "backup-image",
            ALLOWED_IMAGE,
            s -> s.getSpec().getBackup().setImage("postgres:17-alpine")),
        "spec.backup.image postgres:17-alpine is not allowed",
        "leave it unset");
  }

  @Test
  void aServiceAccountThatIsNotAllowedIsRefused() {
    assertRefused(
        schema(
            JUDGED,
            "privileged-sa",
            ALLOWED_IMAGE,
            s -> s.getSpec().setJobTemplate(jobTemplate("ci-admin"))),
        "spec.jobTemplate.serviceAccountName ci-admin is not allowed",
        "the Jobs may run as default, schema-migrations");
  }

  @Test
  void aSpecChangeIsJudgedAMetadataChangeIsNot() {
    DatabaseSchema created =
        admin.resource(schema(JUDGED, "changed-later", ALLOWED_IMAGE, s -> {})).create();
    created.getSpec().getMigrations().setImage(OTHER_IMAGE);
    assertThatThrownBy(() -> admin.resource(created).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("spec.migrations.image " + OTHER_IMAGE + " is not allowed"));

    // A resource from before the policy can still be approved, retried, finalized and deleted.
    DatabaseSchema old =
        admin.resources(DatabaseSchema.class).inNamespace(JUDGED).withName("before-policy").get();
    assertThat(old.getSpec().getMigrations().getImage()).isEqualTo(OTHER_IMAGE);
    var beforePolicy =
        admin.resources(DatabaseSchema.class).inNamespace(JUDGED).withName("before-policy");
    DatabaseSchema annotated =
        beforePolicy.edit(
            r -> {
              r.getMetadata().setAnnotations(Map.of("db.tidemark.io/retry", "1"));
              r.getMetadata().setFinalizers(List.of("example.com/keep"));
              return r;
            });
    assertThat(annotated.getMetadata().getAnnotations()).containsKey("db.tidemark.io/retry");
    beforePolicy.edit(
        r -> {
          r.getMetadata().setFinalizers(List.of());
          return r;
        });
    assertThat(admin.resource(old).delete()).isNotEmpty();
  }

  @Test
  void aNamespaceOutsideTheSelectorIsNotJudged() {
    assertThat(admin.resource(schema(NOT_JUDGED, "free", OTHER_IMAGE, s -> {})).create())
        .isNotNull();
  }

  // --------------------------------------------------------------------------- helpers

  static void assertRefused(DatabaseSchema schema, String... messageParts) {
    assertThatThrownBy(() -> admin.resource(schema).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains(messageParts);
            });
    assertThat(
            admin
                .resources(DatabaseSchema.class)
                .inNamespace(schema.getMetadata().getNamespace())
                .withName(schema.getMetadata().getName())
                .get())
        .isNull();
  }

  static DatabaseSchema schema(
      String ns, String name, String image, Consumer<DatabaseSchema> adjust) {
    DatabaseSchema schema = Schemas.schema(ns, name, image, "latest", 5432);
    adjust.accept(schema);
    return schema;
  }

  static JobTemplateSpec jobTemplate(String serviceAccount) {
    JobTemplateSpec template = new JobTemplateSpec();
    template.setServiceAccountName(serviceAccount);
    return template;
  }

  static void namespace(String ns) {
    admin
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(NonDeletingOperation::update);
  }
}
