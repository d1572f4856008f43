package io.tidemark.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tidemark.operator.jobs.JobFactory;
import io.tidemark.operator.jobs.JobInspector;
import io.tidemark.operator.jobs.Step;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** An operator that restarts, two resources on one database, suspend, and deletion. */
class LifecycleIT extends E2eTestBase {

  @Test
  void anOperatorRestartedBetweenEveryTwoStepsResumesWithoutADuplicateJob() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "todo", TODO_IMAGE, "latest"));
    Set<String> seen = new HashSet<>();
    try {
      for (int step = 0; step < 8; step++) {
        // Wait for the operator's next Job (or the end of the flow)...
        await()
            .atMost(FLOW_TIMEOUT)
            .until(() -> !newJobs(ns, seen).isEmpty() || isReadyAt(ns, "12"));
        if (isReadyAt(ns, "12") && newJobs(ns, seen).isEmpty()) {
          break;
        }
        // ...stop the operator while it runs, let the Job finish without it, and start a new
        // operator.
        cluster.stopOperator();
        List<Job> started = newJobs(ns, seen);
        started.forEach(j -> seen.add(j.getMetadata().getName()));
        await()
            .atMost(FLOW_TIMEOUT)
            .until(() -> started.stream().allMatch(j -> finished(ns, j.getMetadata().getName())));
        cluster.startOperator();
      }
    } finally {
      cluster.startOperator();
    }

    DatabaseSchema r = awaitReadyAt(ns, "todo", "12");
    // One change Job, recorded once although the operator was stopped while it ran.
    assertThat(jobs(ns, Step.CHANGE)).hasSize(1);
    assertThat(jobs(ns, Step.PLAN)).isEmpty();
    assertThat(jobs(ns, Step.BACKUP)).isEmpty();
    assertThat(jobs(ns, Step.MIGRATE)).isEmpty();
    assertThat(r.getStatus().getHistory()).hasSize(1);
    assertThat(eventReasons(ns, "todo").stream().filter("Migrated"::equals)).hasSize(1);
    assertThat(eventReasons(ns, "todo").stream().filter("BackupCompleted"::equals)).hasSize(1);
    // The operator was stopped while the one Job ran, which ended without it.
    assertThat(seen).hasSize(1);
  }

  @Test
  void twoResourcesOnOneDatabaseNeverRunAtOnce() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", FIXED_IMAGE, "latest"));
    await().atMost(FLOW_TIMEOUT).until(() -> !allJobs(ns).isEmpty());
    // Once shop is at 3, revision 1 is a downgrade, which shop-copy allows.
    DatabaseSchema copy = schema(ns, "shop-copy", FIXED_IMAGE, "1");
    copy.getSpec().setAllowDowngrade(true);
    create(copy);

    DatabaseSchema blocked = awaitPhase(ns, "shop-copy", Phase.Blocked);
    assertThat(condition(blocked, "Degraded"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("DatabaseClaimed");
              assertThat(c.getMessage()).contains(ns + "/shop");
            });
    awaitReadyAt(ns, "shop", "3");
    assertThat(allJobs(ns))
        .allSatisfy(
            j ->
                assertThat(j.getMetadata().getLabels().get(JobFactory.LABEL_SCHEMA))
                    .isEqualTo("shop"));
    assertThat(eventReasons(ns, "shop-copy")).contains("DatabaseClaimed");

    // When the owner goes away, the other one may run.
    resource(ns, "shop").delete();
    awaitReadyAt(ns, "shop-copy", "1");
    assertThat(appliedVersions(ns)).containsExactly("1");
  }

  @Test
  void suspendStopsAllNewJobs() throws Exception {
    String ns = newNamespaceWithDatabase();
    DatabaseSchema s = schema(ns, "shop", FIXED_IMAGE, "latest");
    s.getSpec().setSuspend(true);
    create(s);
    DatabaseSchema suspended = awaitPhase(ns, "shop", Phase.Suspended);
    assertThat(condition(suspended, "Ready")).get().extracting("reason").isEqualTo("Suspended");
    assertThat(allJobs(ns)).isEmpty();

    edit(ns, "shop", x -> x.getSpec().setSuspend(false));
    awaitReadyAt(ns, "shop", "3");
    int jobs = allJobs(ns).size();

    edit(
        ns,
        "shop",
        x -> {
          x.getSpec().setSuspend(true);
          downgrade(x, "1");
        });
    awaitPhase(ns, "shop", Phase.Suspended);
    assertThat(allJobs(ns)).hasSize(jobs);
    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
  }

  @Test
  void deletingTheResourceChangesNothingInTheDatabaseAndKeepsBackups() throws Exception {
    String ns = newNamespaceWithDatabase();
    create(schema(ns, "shop", FIXED_IMAGE, "latest"));
    DatabaseSchema ready = awaitReadyAt(ns, "shop", "3");
    Path backup = backupFolder(ns).resolve(ready.getStatus().getLastBackup().getFile());
    List<String> jobsBefore = allJobs(ns).stream().map(j -> j.getMetadata().getName()).toList();
    assertThat(tidemarkSeries(ns, "shop")).contains("tidemark_phase", "tidemark_current_revision");

    resource(ns, "shop").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> get(ns, "shop") == null);
    // Its metrics go on the delete event: java-operator-sdk reports it without a finalizer.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(tidemarkSeries(ns, "shop")).isEmpty());

    assertThat(appliedVersions(ns)).containsExactly("1", "2", "3");
    assertThat(tables(ns)).contains("accounts", "orders");
    assertThat(backup).isRegularFile();
    assertThat(allJobs(ns).stream().filter(j -> !finished(ns, j.getMetadata().getName())))
        .isEmpty();
    // No Job was started for the deleted resource (the mock server has no garbage collector, so the
    // old ones stay).
    assertThat(allJobs(ns))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(jobsBefore);
    try (Stream<Path> files = Files.list(backupFolder(ns))) {
      assertThat(files.collect(Collectors.toList())).hasSize(1);
    }
  }

  private static List<Job> newJobs(String ns, Set<String> seen) {
    return allJobs(ns).stream().filter(j -> !seen.contains(j.getMetadata().getName())).toList();
  }

  private static boolean finished(String ns, String job) {
    Job j = client.batch().v1().jobs().inNamespace(ns).withName(job).get();
    return j == null
        || JobInspector.inspect(j, client.pods().inNamespace(ns).list().getItems(), Instant.now())
            .finished();
  }

  private static boolean isReadyAt(String ns, String revision) {
    DatabaseSchema r = get(ns, "todo");
    return r != null
        && r.getStatus() != null
        && r.getStatus().getPhase() == Phase.Ready
        && revision.equals(r.getStatus().getCurrentRevision());
  }

  /** The names of the operator's tidemark_* meters labelled with the resource. */
  private static List<String> tidemarkSeries(String ns, String name) {
    return cluster.registry().getMeters().stream()
        .map(m -> m.getId())
        .filter(
            id ->
                id.getName().startsWith("tidemark_")
                    && ns.equals(id.getTag("namespace"))
                    && name.equals(id.getTag("name")))
        .map(id -> id.getName())
        .sorted()
        .toList();
  }
}
