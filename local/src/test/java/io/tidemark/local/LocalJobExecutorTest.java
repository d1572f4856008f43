package io.tidemark.local;

import static io.tidemark.local.TestJobs.condition;
import static io.tidemark.local.TestJobs.containerStatus;
import static io.tidemark.local.TestJobs.createSecret;
import static io.tidemark.local.TestJobs.env;
import static io.tidemark.local.TestJobs.fieldEnv;
import static io.tidemark.local.TestJobs.finished;
import static io.tidemark.local.TestJobs.onlyPod;
import static io.tidemark.local.TestJobs.pods;
import static io.tidemark.local.TestJobs.secretEnv;
import static io.tidemark.local.TestJobs.shellJob;
import static io.tidemark.local.TestJobs.waitingReason;
import static io.tidemark.local.TestJobs.withClaim;
import static io.tidemark.local.TestJobs.withEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class LocalJobExecutorTest {
  private static final String NS = "shop";

  KubernetesClient client;

  @TempDir Path root;

  private LocalVolumes volumes;
  private ImageCatalog images;
  private final List<LocalJobExecutor> executors = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    volumes = new LocalVolumes(root);
    images = ImageCatalog.withPostgresTools();
  }

  @AfterEach
  void tearDown() {
    executors.forEach(LocalJobExecutor::close);
  }

  private LocalJobExecutor.Builder executor() {
    return LocalJobExecutor.builder(client)
        .images(images)
        .volumes(volumes)
        .imagePullBackOffAfter(Duration.ofMillis(300))
        .kubeletRetryInterval(Duration.ofMillis(300))
        .podReplacementDelay(Duration.ofMillis(100));
  }

  private LocalJobExecutor start(LocalJobExecutor.Builder builder) {
    LocalJobExecutor executor = builder.build();
    executors.add(executor);
    return executor.start();
  }

  private LocalJobExecutor start() {
    return start(executor());
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(50));
  }

  private Job create(Job job) {
    return client.resource(job).create();
  }

  private Job awaitFinished(String name) {
    within(30).until(() -> finished(client, NS, name));
    return TestJobs.get(client, NS, name);
  }

  private void awaitWaitingReason(String jobName, String reason) {
    within(10).until(() -> reason.equals(waitingReason(client, NS, jobName)));
  }

  /** A shell Job with the claim {@code scratch} mounted at /data. */
  private static JobBuilder scratchJob(String name, String script) {
    return withClaim(shellJob(NS, name, script), "data", "scratch", "/data");
  }

  /** Waits for a script to write its process id to {@code pidFile}; returns it. */
  private static long awaitPid(Path pidFile) throws IOException {
    within(10).until(() -> Files.isRegularFile(pidFile) && !Files.readString(pidFile).isBlank());
    return Long.parseLong(Files.readString(pidFile).trim());
  }

  private static boolean exited(long pid) {
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  @Test
  void aSucceedingContainerCompletesTheJobAndPodAsTheClusterWould() {
    LocalJobExecutor executor = start();
    Job created =
        create(
            shellJob(
                    NS,
                    "todo-plan-1",
                    "echo hello from the container; printf '{\"ok\":true}' > /dev/termination-log")
                .build());

    Job job = awaitFinished("todo-plan-1");

    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(job.getStatus().getFailed()).isNull();
    assertThat(job.getStatus().getActive()).isNull();
    assertThat(job.getStatus().getStartTime()).isNotBlank();
    assertThat(job.getStatus().getCompletionTime()).isNotBlank();
    assertThat(condition(job, "Complete"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("CompletionsReached");
            });
    assertThat(condition(job, "SuccessCriteriaMet")).isPresent();
    assertThat(condition(job, "Failed")).isEmpty();

    Pod pod = onlyPod(client, NS, "todo-plan-1");
    assertThat(pod.getMetadata().getName()).matches("todo-plan-1-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("job-name", "todo-plan-1")
        .containsEntry("batch.kubernetes.io/job-name", "todo-plan-1")
        .containsEntry("controller-uid", created.getMetadata().getUid())
        .containsEntry("app.kubernetes.io/name", "tidemark");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Job");
              assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStateTerminated terminated = containerStatus(pod).getState().getTerminated();
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getReason()).isEqualTo("Completed");
    assertThat(terminated.getMessage()).isEqualTo("{\"ok\":true}");
    assertThat(terminated.getStartedAt()).isNotBlank();
    assertThat(terminated.getFinishedAt()).isNotBlank();
    assertThat(executor.logs(NS, pod.getMetadata().getName())).contains("hello from the container");
  }

  @Test
  void aFailingContainerFailsTheJobWithTheLogAsMessageUnderFallbackToLogsOnError() {
    start();
    create(
        shellJob(NS, "todo-migrate-1", "echo 'ERROR: relation \"x\" does not exist' >&2; exit 3")
            .build());

    Job job = awaitFinished("todo-migrate-1");

    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    assertThat(job.getStatus().getSucceeded()).isNull();
    assertThat(job.getStatus().getCompletionTime()).isNull();
    JobCondition failed = condition(job, "Failed").orElseThrow();
    assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(failed.getMessage()).isEqualTo("Job has reached the specified backoff limit");
    assertThat(condition(job, "FailureTarget"))
        .get()
        .extracting(JobCondition::getReason)
        .isEqualTo("BackoffLimitExceeded");
    assertThat(condition(job, "Complete")).isEmpty();

    Pod pod = onlyPod(client, NS, "todo-migrate-1");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated terminated = containerStatus(pod).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getReason()).isEqualTo("Error");
    assertThat(terminated.getMessage()).isEqualTo("ERROR: relation \"x\" does not exist");
  }

  @Test
  void theTerminationMessageFileWinsOverTheLogAndIsCutAt4096Bytes() {
    start();
    create(
        shellJob(
                NS,
                "long-message",
                "echo from the log; head -c 5000 /dev/zero | tr '\\0' 'a' > /dev/termination-log; exit 1")
            .build());

    awaitFinished("long-message");

    String message =
        containerStatus(onlyPod(client, NS, "long-message"))
            .getState()
            .getTerminated()
            .getMessage();
    assertThat(message).hasSize(4096).matches("a+");
  }

  @Test
  void aFailedPodIsReplacedUpToTheBackoffLimit() {
    start();
    // Fails the first time, succeeds the second: the marker lives on the claim, which outlives
    // Pods.
    Job job =
        scratchJob(
                "flaky",
                "if [ -f /data/tried ]; then echo second > /dev/termination-log; exit 0; fi; touch /data/tried; exit 1")
            .editSpec()
            .withBackoffLimit(2)
            .endSpec()
            .build();
    create(job);

    Job done = awaitFinished("flaky");

    assertThat(condition(done, "Complete")).isPresent();
    assertThat(done.getStatus().getFailed()).isEqualTo(1);
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    List<Pod> jobPods = pods(client, NS, "flaky");
    assertThat(jobPods)
        .extracting(p -> p.getStatus().getPhase())
        .containsExactlyInAnyOrder("Failed", "Succeeded");
  }

  @Test
  void theBackoffLimitEndsRetries() {
    start();
    create(shellJob(NS, "always-fails", "exit 4").editSpec().withBackoffLimit(1).endSpec().build());

    Job job = awaitFinished("always-fails");

    assertThat(condition(job, "Failed"))
        .get()
        .extracting(JobCondition::getReason)
        .isEqualTo("BackoffLimitExceeded");
    assertThat(job.getStatus().getFailed()).isEqualTo(2);
    assertThat(pods(client, NS, "always-fails")).hasSize(2);
  }

  @Test
  void environmentComesFromValuesSecretsAndFieldsAndNothingOfTheHostButPathHomeAndLang() {
    createSecret(client, NS, "todo-db", Map.of("username", "todo_owner", "password", "s3cret"));
    start();
    Job job =
        withEnv(
                shellJob(NS, "env", "env > /dev/termination-log"),
                env("PGHOST", "localhost"),
                secretEnv("PGUSER", "username", "todo-db"),
                secretEnv("PGPASSWORD", "password", "todo-db"),
                new EnvVarBuilder()
                    .withName("OPTIONAL_MISSING")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("nope", "no-such-secret", true)
                    .endValueFrom()
                    .build(),
                fieldEnv("POD_NAMESPACE", "metadata.namespace"),
                fieldEnv("POD_NAME", "metadata.name"),
                env("CONNECT", "$(PGUSER)@$(PGHOST) $(UNDEFINED) $$(PGHOST)"))
            .build();
    create(job);

    awaitFinished("env");

    Pod pod = onlyPod(client, NS, "env");
    Map<String, String> env =
        containerStatus(pod)
            .getState()
            .getTerminated()
            .getMessage()
            .lines()
            .filter(l -> l.contains("="))
            .collect(
                Collectors.toMap(
                    l -> l.substring(0, l.indexOf('=')),
                    l -> l.substring(l.indexOf('=') + 1),
                    (a, b) -> b));
    assertThat(env)
        .containsEntry("PGHOST", "localhost")
        .containsEntry("PGUSER", "todo_owner")
        .containsEntry("PGPASSWORD", "s3cret")
        .containsEntry("POD_NAMESPACE", NS)
        .containsEntry("POD_NAME", pod.getMetadata().getName())
        .containsEntry("CONNECT", "todo_owner@localhost $(UNDEFINED) $(PGHOST)")
        .doesNotContainKey("OPTIONAL_MISSING");
    // Only what the container declares, the three host variables, and what sh itself sets.
    Set<String> allowed =
        Set.of(
            "PGHOST",
            "PGUSER",
            "PGPASSWORD",
            "POD_NAMESPACE",
            "POD_NAME",
            "CONNECT",
            "PATH",
            "HOME",
            "LANG",
            "PWD",
            "SHLVL",
            "_",
            "OLDPWD");
    assertThat(env.keySet()).isSubsetOf(allowed);
  }

  @Test
  void aMissingSecretLeavesThePodWaitingWithTheKubeletsMessageUntilTheSecretAppears() {
    start();
    create(
        withEnv(
                shellJob(NS, "no-secret", "echo started > /dev/termination-log"),
                secretEnv("PGPASSWORD", "password", "todo-db"))
            .build());

    awaitWaitingReason("no-secret", "CreateContainerConfigError");
    assertThat(TestJobs.waitingMessage(client, NS, "no-secret"))
        .isEqualTo("secret \"todo-db\" not found");
    Job job = TestJobs.get(client, NS, "no-secret");
    assertThat(job.getStatus().getActive()).isEqualTo(1);
    assertThat(onlyPod(client, NS, "no-secret").getStatus().getPhase()).isEqualTo("Pending");

    // As a kubelet does, it keeps trying: the container starts once the Secret exists.
    createSecret(client, NS, "todo-db", Map.of("password", "pw"));
    Job done = awaitFinished("no-secret");
    assertThat(condition(done, "Complete")).isPresent();
  }

  @Test
  void aMissingKeyLeavesThePodWaitingWithTheKubeletsMessage() {
    createSecret(client, NS, "todo-db", Map.of("username", "u"));
    start();
    create(
        withEnv(shellJob(NS, "no-key", "true"), secretEnv("PGPASSWORD", "password", "todo-db"))
            .build());

    awaitWaitingReason("no-key", "CreateContainerConfigError");
    assertThat(TestJobs.waitingMessage(client, NS, "no-key"))
        .isEqualTo("couldn't find key password in Secret shop/todo-db");
    assertThat(finished(client, NS, "no-key")).isFalse();
  }

  @Test
  void anUnknownImageCannotBePulledAndTheJobStaysActive() {
    start();
    create(
        TestJobs.job(
                NS,
                "bad-image",
                new ContainerBuilder()
                    .withName("runner")
                    .withImage("registry.example.com/nope:1")
                    .withArgs("info")
                    .build())
            .build());

    awaitWaitingReason("bad-image", "ErrImagePull");
    assertThat(TestJobs.waitingMessage(client, NS, "bad-image"))
        .startsWith("rpc error: code = NotFound")
        .contains("\"registry.example.com/nope:1\"")
        .contains("not found");
    awaitWaitingReason("bad-image", "ImagePullBackOff");
    assertThat(TestJobs.waitingMessage(client, NS, "bad-image"))
        .isEqualTo("Back-off pulling image \"registry.example.com/nope:1\"");
    Job job = TestJobs.get(client, NS, "bad-image");
    assertThat(job.getStatus().getActive()).isEqualTo(1);
    assertThat(job.getStatus().getConditions()).isNullOrEmpty();
    assertThat(onlyPod(client, NS, "bad-image").getStatus().getPhase()).isEqualTo("Pending");
  }

  @Test
  void mountPathsInArgumentsEnvironmentAndScriptsAreRewrittenToLocalFolders() throws Exception {
    Path backups = root.resolve("my-backups");
    volumes.mapClaim(NS, "todo-backups", backups);
    start();
    String script =
        "echo dump > \"$BACKUP_DIR/$BACKUP_FILE\"; echo scratch > /tmp/scratch.txt; "
            + "printf '%s\\n%s\\n%s\\n%s' \"$1\" \"$2\" \"$BACKUP_DIR\" \"$(cat /tmp/scratch.txt)\" > /dev/termination-log";
    Job job =
        shellJob(NS, "paths", script)
            .editSpec()
            .editTemplate()
            .editSpec()
            .addNewVolume()
            .withName("backups")
            .withNewPersistentVolumeClaim()
            .withClaimName("todo-backups")
            .endPersistentVolumeClaim()
            .endVolume()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .editFirstContainer()
            .withArgs("sh", "--out=/backups/x.dump", "/backups")
            .addNewVolumeMount()
            .withName("backups")
            .withMountPath("/backups")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("tmp")
            .withMountPath("/tmp")
            .endVolumeMount()
            .addNewEnv()
            .withName("BACKUP_DIR")
            .withValue("/backups")
            .endEnv()
            .addNewEnv()
            .withName("BACKUP_FILE")
            .withValue("todo-1.dump")
            .endEnv()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    create(job);

    awaitFinished("paths");

    Pod pod = onlyPod(client, NS, "paths");
    List<String> lines =
        containerStatus(pod).getState().getTerminated().getMessage().lines().toList();
    assertThat(lines)
        .containsExactly(
            "--out=" + backups.resolve("x.dump"),
            backups.toString(),
            backups.toString(),
            "scratch");
    assertThat(backups.resolve("todo-1.dump")).hasContent("dump");
    Path podTmp =
        volumes.podFolder(NS, pod.getMetadata().getName()).resolve("volumes/tmp/scratch.txt");
    assertThat(podTmp).hasContent("scratch");
  }

  @Test
  void anUnmappedClaimIsAFolderUnderTheRootThatOutlivesThePod() {
    start();
    create(
        withClaim(
                shellJob(NS, "claim", "echo kept > /backups/file"), "b", "todo-backups", "/backups")
            .build());

    awaitFinished("claim");

    assertThat(root.resolve("pvc/shop/todo-backups/file")).hasContent("kept");
    assertThat(volumes.claim(NS, "todo-backups")).isEqualTo(root.resolve("pvc/shop/todo-backups"));
  }

  // In a Job's command, Kubernetes reduces $$ to $: the scripts below say $$$$ for the shell's $$.
  @Test
  void theActiveDeadlineKillsTheProcessAndFailsTheJob() throws Exception {
    start();
    Path marker = volumes.claim(NS, "scratch").resolve("pid");
    Job job =
        scratchJob("slow", "echo $$$$ > /data/pid; exec sleep 60")
            .editSpec()
            .withActiveDeadlineSeconds(2L)
            .endSpec()
            .build();
    create(job);

    long pid = awaitPid(marker);
    Job done = awaitFinished("slow");

    JobCondition failed = condition(done, "Failed").orElseThrow();
    assertThat(failed.getReason()).isEqualTo("DeadlineExceeded");
    assertThat(failed.getMessage()).isEqualTo("Job was active longer than specified deadline");
    assertThat(done.getStatus().getFailed()).isEqualTo(1);
    Pod pod = onlyPod(client, NS, "slow");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(pod.getStatus().getReason()).isEqualTo("DeadlineExceeded");
    assertThat(containerStatus(pod).getState().getTerminated().getExitCode()).isEqualTo(137);
    within(5).until(() -> exited(pid));
  }

  @Test
  void theDeadlineAlsoEndsAJobWhosePodCannotStart() {
    start();
    create(
        TestJobs.job(
                NS,
                "never-pulls",
                new ContainerBuilder().withName("runner").withImage("nope:1").build())
            .editSpec()
            .withActiveDeadlineSeconds(1L)
            .endSpec()
            .build());

    Job done = awaitFinished("never-pulls");

    assertThat(condition(done, "Failed"))
        .get()
        .extracting(JobCondition::getReason)
        .isEqualTo("DeadlineExceeded");
    assertThat(onlyPod(client, NS, "never-pulls").getStatus().getPhase()).isEqualTo("Failed");
  }

  @Test
  void deletingAJobKillsItsProcessAndDeletesItsPods() throws Exception {
    start();
    Path marker = volumes.claim(NS, "scratch").resolve("pid");
    create(scratchJob("doomed", "echo $$$$ > /data/pid; exec sleep 60").build());
    long pid = awaitPid(marker);
    assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);

    client.batch().v1().jobs().inNamespace(NS).withName("doomed").delete();

    within(10).until(() -> exited(pid));
    within(10).until(() -> pods(client, NS, "doomed").isEmpty());
  }

  @Test
  void aContainerThatCannotStartIsAStartError() {
    start();
    create(
        TestJobs.job(
                NS,
                "no-binary",
                new ContainerBuilder()
                    .withName("backup")
                    .withImage(TestJobs.TOOLS_IMAGE)
                    .withCommand("/no/such/binary-tidemark")
                    .build())
            .build());

    awaitFinished("no-binary");

    ContainerStateTerminated terminated =
        containerStatus(onlyPod(client, NS, "no-binary")).getState().getTerminated();
    assertThat(terminated.getReason()).isEqualTo("StartError");
    assertThat(terminated.getExitCode()).isEqualTo(128);
    assertThat(terminated.getMessage()).contains("/no/such/binary-tidemark");
  }

  @Test
  void aRestartedExecutorDoesNotRunAgainAContainerThatHadStarted() throws Exception {
    Path runs = volumes.claim(NS, "scratch").resolve("runs");
    Job job =
        scratchJob("once", "echo run >> /data/runs; echo $$$$ > /data/pid; exec sleep 60").build();
    LocalJobExecutor first = start();
    create(job);
    long pid = awaitPid(runs.resolveSibling("pid"));
    within(10).until(() -> "Running".equals(onlyPod(client, NS, "once").getStatus().getPhase()));

    first.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(finished(client, NS, "once")).isFalse();

    start();
    Job done = awaitFinished("once");

    assertThat(Files.readAllLines(runs)).containsExactly("run");
    assertThat(condition(done, "Failed"))
        .get()
        .extracting(JobCondition::getReason)
        .isEqualTo("BackoffLimitExceeded");
    ContainerStateTerminated terminated =
        containerStatus(onlyPod(client, NS, "once")).getState().getTerminated();
    assertThat(terminated.getReason()).isEqualTo("ContainerStatusUnknown");
    assertThat(terminated.getExitCode()).isEqualTo(137);
  }

  @Test
  void aRestartedExecutorStartsAPodWhoseContainerNeverStartedWithoutMakingAnother() {
    Job job = create(shellJob(NS, "adopted", "printf adopted > /dev/termination-log").build());
    Pod leftOver = JobPods.newPod(job, LocalJobExecutor.NODE_NAME);
    leftOver.setStatus(
        KubeletStatus.waiting(leftOver, "ContainerCreating", null, java.time.Instant.now()));
    client.resource(leftOver).create();

    start();
    Job done = awaitFinished("adopted");

    assertThat(condition(done, "Complete")).isPresent();
    Pod pod = onlyPod(client, NS, "adopted");
    assertThat(pod.getMetadata().getName()).isEqualTo(leftOver.getMetadata().getName());
    assertThat(containerStatus(pod).getState().getTerminated().getMessage()).isEqualTo("adopted");
  }

  @Test
  void aRestartedExecutorOnlyCatchesUpTheStatusOfAJobWhosePodSucceeded() {
    Job job = create(shellJob(NS, "caught-up", "exit 1").build());
    Pod finishedPod = JobPods.newPod(job, LocalJobExecutor.NODE_NAME);
    finishedPod.setStatus(
        KubeletStatus.terminated(
            finishedPod,
            0,
            "Completed",
            "{\"ok\":true}",
            java.time.Instant.now(),
            java.time.Instant.now()));
    client.resource(finishedPod).create();

    start();
    Job done = awaitFinished("caught-up");

    assertThat(condition(done, "Complete")).isPresent();
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(pods(client, NS, "caught-up")).hasSize(1);
  }

  @Test
  void finishedAndUnlabelledJobsAreLeftAlone() {
    Job finishedJob = create(shellJob(NS, "old", "exit 1").build());
    finishedJob.setStatus(
        new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
            .addNewCondition()
            .withType("Complete")
            .withStatus("True")
            .endCondition()
            .withSucceeded(1)
            .build());
    client.resource(finishedJob).updateStatus();
    Job foreign = shellJob(NS, "foreign", "exit 0").build();
    foreign.getMetadata().getLabels().remove(LocalJobExecutor.MANAGED_BY_LABEL);
    create(foreign);

    start();
    create(shellJob(NS, "marker", "exit 0").build());
    awaitFinished("marker");

    assertThat(pods(client, NS, "old")).isEmpty();
    assertThat(pods(client, NS, "foreign")).isEmpty();
  }

  @Test
  void anInstantRunnerFinishesJobsWithoutAProcess() {
    List<String> seenArgs = new CopyOnWriteArrayList<>();
    start(
        executor()
            .containerRunner(
                ContainerRunner.instant(
                    launch -> {
                      seenArgs.addAll(launch.args());
                      return ContainerResult.succeeded(
                          "{\"v\":1,\"command\":\"plan\",\"ok\":true,\"exit\":0}");
                    })));
    create(
        TestJobs.job(
                NS,
                "instant",
                new ContainerBuilder()
                    .withName("runner")
                    .withImage(TestJobs.TOOLS_IMAGE)
                    .withArgs("plan", "--json")
                    .build())
            .build());

    Job done = awaitFinished("instant");

    assertThat(condition(done, "Complete")).isPresent();
    assertThat(
            containerStatus(onlyPod(client, NS, "instant")).getState().getTerminated().getMessage())
        .isEqualTo("{\"v\":1,\"command\":\"plan\",\"ok\":true,\"exit\":0}");
    assertThat(seenArgs).containsExactly("plan", "--json");
  }

  @Test
  void containerOutputGoesToTheLogSinkToo() {
    List<String> lines = new CopyOnWriteArrayList<>();
    start(executor().logSink((namespace, pod, line) -> lines.add(namespace + " " + line)));
    create(shellJob(NS, "chatty", "echo one; echo two >&2").build());

    awaitFinished("chatty");

    within(5).until(() -> lines.size() == 2);
    assertThat(lines).containsExactlyInAnyOrder("shop one", "shop two");
  }

  @Test
  void jobsRunAtMostParallelismAtOnce() {
    start(executor().parallelism(1));
    Path claim = volumes.claim(NS, "scratch");
    for (int i = 0; i < 3; i++) {
      create(
          scratchJob(
                  "serial-" + i,
                  "if [ -f /data/busy ]; then echo overlap >> /data/overlaps; fi; touch /data/busy; sleep 0.3; rm /data/busy")
              .build());
    }
    for (int i = 0; i < 3; i++) {
      assertThat(condition(awaitFinished("serial-" + i), "Complete")).isPresent();
    }
    assertThat(claim.resolve("overlaps")).doesNotExist();
  }
}
