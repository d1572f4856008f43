package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.report.ExitCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void masksKnownSecretsAndPasswordLookingUrlParts() {
    Redactor redactor =
        Redactor.forInputs(
            List.of(
                "migrate",
                "--password",
                "opt-secret",
                "--url",
                "jdbc:postgresql://h/db?password=url%26secret"),
            Map.of("PGPASSWORD", "env-secret"));
    String text =
        redactor.redact(
            "opt-secret env-secret url&secret url%26secret "
                + "jdbc:postgresql://h/db?user=a&password=unknown1 postgresql://a:unknown2@h/db");
    assertThat(text)
        .doesNotContain(
            "opt-secret", "env-secret", "url&secret", "url%26secret", "unknown1", "unknown2");
    assertThat(text).contains("password=******", "postgresql://a:******@h/db");
  }

  @Test
  void connectionSettingsFromLibpqVariablesKeepThePasswordOutOfTheUrl() {
    CliOptions options = RunnerCommandLine.parse(List.of("info"));
    ConnectionSettings settings =
        ConnectionSettings.from(
            options,
            Map.of(
                "PGHOST",
                "db.example",
                "PGPORT",
                "6432",
                "PGDATABASE",
                "todo",
                "PGUSER",
                "app",
                "PGPASSWORD",
                "pw-123",
                "PGSSLMODE",
                "require"));
    assertThat(settings.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example:6432/todo?sslmode=require");
    assertThat(settings.describe()).isEqualTo("postgresql://app@db.example:6432/todo");
    assertThat(settings.toString()).doesNotContain("pw-123");
  }

  @Test
  void badLibpqVariablesAreBadInput() {
    CliOptions options = RunnerCommandLine.parse(List.of("info"));
    for (Map<String, String> env :
        List.of(
            Map.of("PGUSER", "a", "PGSSLMODE", "sometimes"),
            Map.of("PGUSER", "a", "PGPORT", "99999"),
            Map.of("PGUSER", "a", "PGHOST", "/var/run/postgresql"),
            Map.<String, String>of())) {
      try {
        ConnectionSettings.from(options, env);
        throw new AssertionError("accepted " + env);
      } catch (RunnerException e) {
        assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
      }
    }
  }

  @Test
  void aShortPasswordIsMaskedWhereAPasswordStandsButNotInEveryWord() {
    Redactor redactor =
        Redactor.forInputs(
            List.of("migrate", "--url", "jdbc:postgresql://a:1@h/db"), Map.of("PGPASSWORD", "1"));
    String text = redactor.redact("revision 1 of 12 failed; url postgresql://a:1@h/db?password=1");
    assertThat(text)
        .isEqualTo("revision 1 of 12 failed; url postgresql://a:******@h/db?password=******");
  }
}
