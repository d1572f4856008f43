package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.JobSettings;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.MigrationsConfigMap;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * spec.migrations.configMap end to end: the scripts as the keys of a ConfigMap (what kustomize's
 * configMapGenerator makes of the migrations folder), mounted by the kubelet's layout into the base
 * runner image. A first ConfigMap migrates; the next one (a new name, as kustomize's hash suffix
 * gives) migrates further; an applied script edited in place is drift, named; a ConfigMap that does
 * not exist is named and nothing runs.
 */
class ConfigMapMigrationsIT extends E2eTestBase {

  /** The example chain's files whose version is at most {@code upTo}, as ConfigMap data. */
  static Map<String, String> scripts(Predicate<Integer> versions) throws Exception {
    Map<String, String> data = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(EXAMPLE_CHAIN)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
        if (versions.test(version)) {
          data.put(name, Files.readString(file));
        }
      }
    }
    return data;
  }

  static void configMap(String ns, String name, Map<String, String> data) {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }

  static DatabaseSchema fromConfigMap(String ns, String configMap) {
    DatabaseSchema r = schema(ns, "todo", TODO_IMAGE, "latest");
    r.getSpec().getMigrations().setImage(null);
    r.getSpec().getMigrations().setConfigMap(new MigrationsConfigMap(configMap));
    return r;
  }

  @Test
  void eachConfigMapOfTheChainMigratesAndAnEditedScriptIsDrift() throws Exception {
    String ns = newNamespaceWithDatabase();
    configMap(ns, "todo-sql-a", scripts(v -> v <= 4));
    create(fromConfigMap(ns, "todo-sql-a"));

    DatabaseSchema first = awaitReadyAt(ns, "todo", "4");
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3", "4");
    assertThat(first.getStatus().getLastPlan().getImage()).isEqualTo("configmap/todo-sql-a");
    assertThat(jobs(ns, Step.CHANGE)).isNotEmpty();
    for (Job job : jobs(ns, Step.CHANGE)) {
      assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo(JobSettings.DEFAULT_RUNNER_IMAGE);
    }

    // The next release: a new ConfigMap (kustomize names it by its content), the spec follows.
    configMap(ns, "todo-sql-b", scripts(v -> true));
    edit(ns, "todo", r -> r.getSpec().getMigrations().getConfigMap().setName("todo-sql-b"));
    awaitReadyAt(ns, "todo", "12");
    assertThat(appliedVersions(ns)).hasSize(12).endsWith("12");

    // An applied script changed in place: the checksum check of the next plan names it.
    client
        .configMaps()
        .inNamespace(ns)
        .withName("todo-sql-b")
        .edit(
            cm -> {
              cm.getData()
                  .computeIfPresent(
                      "V2__create_tasks.sql", (k, v) -> v + "\n-- edited after it ran\n");
              return cm;
            });
    // A new retry value makes a new plan now, instead of at the next periodic re-plan.
    resource(ns, "todo")
        .edit(
            r -> {
              annotate(r, DatabaseSchema.RETRY_ANNOTATION, "after-edit");
              return r;
            });
    DatabaseSchema drifted = awaitPhase(ns, "todo", Phase.Failed);
    assertThat(condition(drifted, "Drifted"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("ChecksumMismatch");
              assertThat(c.getMessage()).contains("V2__create_tasks.sql");
            });
    assertThat(appliedVersions(ns)).hasSize(12);
  }

  @Test
  void aConfigMapThatDoesNotExistIsNamedAndNothingRuns() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(fromConfigMap(ns, "todo-sql-missing"));

    DatabaseSchema failed = awaitPhase(ns, "todo", Phase.Failed);
    assertThat(failed.getStatus().getLastFailure().getReason()).isEqualTo("NoMigrations");
    assertThat(failed.getStatus().getLastFailure().getMessage())
        .contains("ConfigMap todo-sql-missing");
    assertThat(tables(ns)).isEmpty();
    assertThat(jobs(ns, Step.BACKUP)).isEmpty();
  }
}
