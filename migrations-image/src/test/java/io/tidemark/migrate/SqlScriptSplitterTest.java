package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptSplitterTest {
  @Test
  void splitsAtTopLevelSemicolonsOnly() {
    String sql = String.join("\n",
        "-- a comment; with a semicolon",
        "DROP INDEX CONCURRENTLY a_idx;",
        "/* block; /* nested; */ still comment; */",
        "INSERT INTO t VALUES ('it''s; fine', E'back\\'; slash', \"odd;name\");",
        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;",
        "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;",
        "SELECT $$a;b$$",
        "-- trailing comment only");
    assertThat(SqlScriptSplitter.split(sql)).hasSize(5)
        .satisfies(s -> assertThat(s.get(0)).endsWith("DROP INDEX CONCURRENTLY a_idx"))
        .satisfies(s -> assertThat(s.get(1)).contains("it''s; fine").contains("odd;name"))
        .satisfies(s -> assertThat(s.get(2)).contains("RETURN 1; END; $body$"))
        .satisfies(s -> assertThat(s.get(3)).contains("SELECT 1; SELECT 2; END"))
        .satisfies(s -> assertThat(s.get(4)).startsWith("SELECT $$a;b$$"));
  }

  @Test
  void emptyAndCommentOnlyScriptsHaveNoStatements() {
    assertThat(SqlScriptSplitter.split("")).isEmpty();
    assertThat(SqlScriptSplitter.split("-- nothing\n/* here */\n;")).isEmpty();
  }
}
