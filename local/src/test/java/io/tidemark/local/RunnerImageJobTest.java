package io.tidemark.local;

import static io.tidemark.local.TestJobs.condition;
import static io.tidemark.local.TestJobs.containerStatus;
import static io.tidemark.local.TestJobs.createSecret;
import static io.tidemark.local.TestJobs.env;
import static io.tidemark.local.TestJobs.finished;
import static io.tidemark.local.TestJobs.onlyPod;
import static io.tidemark.local.TestJobs.secretEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one test that runs the real runner (io.tidemark.migrate.Main) as a runner image's entrypoint,
 * in its own JVM, against an embedded PostgreSQL: arguments naming /migrations and
 * /dev/termination-log reach it as local paths, credentials come from a Secret, and its report
 * becomes the Pod's termination message.
 */
@EnableKubernetesMockClient(crud = true)
class RunnerImageJobTest {
  private static final String NS = "shop";
  private static final String PASSWORD = "pw-Never-Shown-42";
  private static final String IMAGE = "registry.example.com/todo-migrations:1.0.0";

  static EmbeddedPostgres postgres;

  KubernetesClient client;

  @TempDir Path root;
  @TempDir Path migrations;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theRunnerImageMigratesTheDatabaseAndReportsInTheTerminationMessage() throws Exception {
    Files.writeString(
        migrations.resolve("V1__create_todo.sql"),
        "CREATE TABLE todo_item (id bigint PRIMARY KEY, title text NOT NULL);\n");
    // The embedded server trusts local connections: any password works, so it can be one to look
    // for.
    createSecret(client, NS, "todo-db", Map.of("username", "postgres", "password", PASSWORD));
    ImageCatalog images = ImageCatalog.withPostgresTools().addRunner(IMAGE, migrations);

    try (LocalJobExecutor executor =
        LocalJobExecutor.builder(client).images(images).volumes(new LocalVolumes(root)).start()) {
      client
          .resource(
              TestJobs.job(
                      NS,
                      "todo-migrate-1",
                      new ContainerBuilder()
                          .withName("runner")
                          .withImage(IMAGE)
                          .withArgs(
                              "migrate",
                              "--location",
                              "/migrations",
                              "--report",
                              "/dev/termination-log")
                          .withTerminationMessagePolicy("FallbackToLogsOnError")
                          .addToEnv(
                              env("PGHOST", "localhost"),
                              env("PGPORT", String.valueOf(postgres.getPort())),
                              env("PGDATABASE", "postgres"),
                              env("PGSSLMODE", "disable"),
                              secretEnv("PGUSER", "username", "todo-db"),
                              secretEnv("PGPASSWORD", "password", "todo-db"))
                          .build())
                  .build())
          .create();

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> finished(client, NS, "todo-migrate-1"));

      Job job = TestJobs.get(client, NS, "todo-migrate-1");
      String podName = onlyPod(client, NS, "todo-migrate-1").getMetadata().getName();
      String message =
          containerStatus(onlyPod(client, NS, "todo-migrate-1"))
              .getState()
              .getTerminated()
              .getMessage();
      assertThat(condition(job, "Complete"))
          .as("Job finished; termination message %s; log:%n%s", message, executor.logs(NS, podName))
          .isPresent();
      System.out.println("termination message: " + message);
      assertThat(message)
          .contains("\"ok\":true")
          .contains("\"command\":\"migrate\"")
          .contains("\"exit\":0");
      assertThat(message).doesNotContain(PASSWORD);
      assertThat(executor.logs(NS, podName)).doesNotContain(PASSWORD);
    }

    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        ResultSet rs =
            connection
                .createStatement()
                .executeQuery("SELECT to_regclass('public.todo_item') IS NOT NULL")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).as("the migration created the table").isTrue();
    }
  }
}
