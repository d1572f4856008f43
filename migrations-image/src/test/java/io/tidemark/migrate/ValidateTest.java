package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

class ValidateTest extends PostgresTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void cleanDatabaseValidates() throws Exception {
    assertThat(run("migrate", "--target", "3").exit()).isZero();
    Run run = run("validate");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("Valid: 3 applied revision(s)");
  }

  @Test
  void editedAppliedScriptIsCaughtByValidateAndBlocksMigrate() throws Exception {
    Path chain = copyOfChain();
    assertThat(run("migrate", "--target", "2", "--location", chain.toString()).exit()).isZero();
    Files.writeString(
        chain.resolve("V2__create_tasks.sql"), "\n-- edited\n", StandardOpenOption.APPEND);

    Run validate = run("validate", "--location", chain.toString());
    assertThat(validate.exit()).isEqualTo(2);
    assertThat(validate.err()).contains("V2__create_tasks.sql").contains("checksum");
    var report = JSON.readTree(validate.report());
    assertThat(report.get("reason").asText()).isEqualTo("ValidationFailed");
    assertThat(report.get("message").asText()).contains("V2__create_tasks.sql");

    Run migrate = run("migrate", "--location", chain.toString());
    assertThat(migrate.exit()).isEqualTo(2);
    assertThat(migrate.err()).contains("V2__create_tasks.sql");
    assertThat(history()).containsExactly("1", "2");
    assertThat(tables()).containsExactly("tasks", "users");

    Run plan = run("plan", "--location", chain.toString());
    assertThat(plan.exit()).isEqualTo(2);
    assertThat(JSON.readTree(plan.report()).get("revisions").toString())
        .isEqualTo("[\"3\",\"4\",\"5\"]");
  }

  @Test
  void appliedRevisionMissingFromTheImageIsDrift() throws Exception {
    assertThat(run("migrate").exit()).isZero();
    Path olderImage = copyOfChain();
    Files.delete(olderImage.resolve("V5__tasks_updated_at.sql"));
    Files.delete(olderImage.resolve("U5__tasks_updated_at.sql"));
    Run run = run("validate", "--location", olderImage.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("V5__tasks_updated_at.sql")
        .contains("missing from the migrations image");
  }

  @Test
  void renamedAppliedScriptIsDrift() throws Exception {
    Path chain = copyOfChain();
    assertThat(run("migrate", "--target", "1", "--location", chain.toString()).exit()).isZero();
    Files.move(chain.resolve("V1__create_users.sql"), chain.resolve("V1__make_users.sql"));
    Run run = run("validate", "--location", chain.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("V1__make_users.sql").contains("description");
  }
}
