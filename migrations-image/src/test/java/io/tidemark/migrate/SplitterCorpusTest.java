package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SqlScriptSplitter} (how the runner splits U scripts) against Flyway's own PostgreSQL
 * parser (how Flyway splits V scripts) on a corpus of tricky scripts, splitter-corpus/*.sql. Each
 * file says on its first line how many statements it has, so that neither parser is the only judge;
 * SplitterCorpusOnPostgresTest runs the same statements on PostgreSQL.
 */
class SplitterCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/splitter-corpus");
  private static final Pattern COUNT = Pattern.compile("\\A-- statements: (\\d+)\\n");

  /**
   * Where the two legitimately differ. Each is pinned by its own test below, so that a Flyway
   * upgrade that changes either shows up here.
   */
  static final Map<String, String> DIFFERENCES =
      Map.of(
          "begin-atomic-nested-case.sql",
          "Flyway 13's parser ends a BEGIN ATOMIC body at the END of a CASE nested directly in another"
              + " CASE's THEN or ELSE (in parentheses it is fine); the splitter counts every CASE."
              + " PostgreSQL agrees with the splitter (SplitterCorpusOnPostgresTest)",
          "copy-from-stdin.sql",
          "Flyway reads the data lines after COPY ... FROM stdin up to \\. and sends them with the"
              + " COPY; the runner's undo does not support COPY FROM STDIN (docs/runner.md), so its"
              + " splitter reads the data as SQL and PostgreSQL refuses the COPY");

  static Stream<String> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<String> names =
          files
              .map(f -> f.getFileName().toString())
              .filter(f -> f.endsWith(".sql"))
              .sorted()
              .toList();
      assertThat(names).hasSizeGreaterThanOrEqualTo(10).containsAll(DIFFERENCES.keySet());
      return names.stream();
    }
  }

  static String read(String name) throws IOException {
    return Files.readString(CORPUS.resolve(name));
  }

  /** The number of statements the file's first line declares. */
  static int declaredCount(String sql) {
    Matcher count = COUNT.matcher(sql);
    assertThat(count.find()).as("first line: -- statements: N").isTrue();
    return Integer.parseInt(count.group(1));
  }

  /** Whitespace runs as one space: the parsers may keep or trim it differently. */
  static List<String> normalized(List<String> statements) {
    return statements.stream().map(s -> s.replaceAll("\\s+", " ").strip()).toList();
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void theSplitterFindsTheDeclaredStatements(String name) throws IOException {
    String sql = read(name);
    if (name.equals("copy-from-stdin.sql")) {
      return; // not supported: see DIFFERENCES and theDataOfACopyFromStdinIsNotUnderstood
    }
    assertThat(SqlScriptSplitter.split(sql)).as(name).hasSize(declaredCount(sql));
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void theSplitterAgreesWithFlyway(String name) throws IOException {
    if (DIFFERENCES.containsKey(name)) {
      return; // each has its own test below
    }
    String sql = read(name);
    assertThat(normalized(SqlScriptSplitter.split(sql)))
        .as(name)
        .containsExactlyElementsOf(normalized(FlywayStatements.split(sql)));
  }

  @Test
  void flywayEndsABodyAtANestedCaseAndTheSplitterDoesNot() throws IOException {
    String sql = read("begin-atomic-nested-case.sql");
    List<String> ours = normalized(SqlScriptSplitter.split(sql));
    assertThat(ours).hasSize(3);
    assertThat(ours.get(0)).endsWith("END END; SELECT 'second statement of the body'; END");
    assertThat(ours.get(1)).endsWith("ELSE 'none' END; END");
    List<String> flyway = normalized(FlywayStatements.split(sql));
    // Flyway: the first body cut after "END END", its rest ("SELECT 'second ...'", "END") as
    // statements of their own; the same for the second function.
    assertThat(flyway).hasSizeGreaterThan(3);
    assertThat(flyway.get(0)).endsWith("ELSE 'positive' END END");
    assertThat(flyway).contains("END");
  }

  @Test
  void theDataOfACopyFromStdinIsNotUnderstood() throws IOException {
    String sql = read("copy-from-stdin.sql");
    List<String> flyway = normalized(FlywayStatements.split(sql));
    assertThat(flyway).hasSize(declaredCount(sql));
    assertThat(flyway.get(1)).isEqualTo("COPY colours (id, name) FROM stdin");
    assertThat(flyway.get(2)).isEqualTo("DELETE FROM colours WHERE id = 2");
    List<String> ours = normalized(SqlScriptSplitter.split(sql));
    assertThat(ours.subList(0, 2)).isEqualTo(flyway.subList(0, 2));
    // The data lines are read as SQL, cut at the semicolon in "red; or crimson".
    assertThat(ours.get(2)).isEqualTo("1 red");
    assertThat(ours.get(3)).startsWith("or crimson 2 it's blue \\.");
  }
}
