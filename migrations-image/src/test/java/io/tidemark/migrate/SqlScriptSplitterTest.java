package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptSplitterTest {
  @Test
  void splitsAtTopLevelSemicolonsOnly() {
    String sql =
        String.join(
            "\n",
            "-- a comment; with a semicolon",
            "DROP INDEX CONCURRENTLY a_idx;",
            "/* block; /* nested; */ still comment; */",
            "INSERT INTO t VALUES ('it''s; fine', E'back\\'; slash', \"odd;name\");",
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;",
            "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;",
            "SELECT $$a;b$$",
            "-- trailing comment only");
    assertThat(SqlScriptSplitter.split(sql))
        .hasSize(5)
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

  @Test
  void aCaseExpressionInsideBeginAtomicDoesNotEndTheBody() {
    String sql =
        String.join(
            "\n",
            "CREATE FUNCTION sign_of(x int) RETURNS text LANGUAGE sql",
            "BEGIN ATOMIC",
            "  SELECT CASE WHEN x < 0 THEN 'negative' ELSE CASE WHEN x = 0 THEN 'zero' ELSE 'positive' END END;",
            "  SELECT 'second statement of the body';",
            "END;",
            "DROP TABLE t;");
    assertThat(SqlScriptSplitter.split(sql))
        .hasSize(2)
        .satisfies(s -> assertThat(s.get(0)).startsWith("CREATE FUNCTION").endsWith("END"))
        .satisfies(s -> assertThat(s.get(1)).isEqualTo("DROP TABLE t"));
  }

  @Test
  void aSemicolonInsideParenthesesDoesNotEndTheStatement() {
    String sql =
        "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); "
            + "UPDATE c SET n = n + 1;);\nSELECT (1); SELECT ')'";
    assertThat(SqlScriptSplitter.split(sql))
        .containsExactly(
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); "
                + "UPDATE c SET n = n + 1;)",
            "SELECT (1)",
            "SELECT ')'");
  }

  @Test
  void aCommentBetweenBeginAndAtomicStillOpensTheBody() {
    String sql =
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN /* c */ -- d\n ATOMIC "
            + "SELECT 1; SELECT 2; END; SELECT 'BEGIN' ATOMIC; SELECT 3";
    assertThat(SqlScriptSplitter.split(sql))
        .hasSize(3)
        .satisfies(s -> assertThat(s.get(0)).endsWith("SELECT 2; END"))
        .satisfies(s -> assertThat(s.get(2)).isEqualTo("SELECT 3"));
  }

  @Test
  void transactionControlIsRecognisedOnlyAsAWholeStatementKeyword() {
    assertThat(TransactionControl.control("COMMIT")).isEqualTo("COMMIT");
    assertThat(TransactionControl.control("commit work")).isEqualTo("COMMIT");
    assertThat(TransactionControl.control("END TRANSACTION")).isEqualTo("END");
    assertThat(TransactionControl.control("begin isolation level serializable")).isEqualTo("BEGIN");
    assertThat(TransactionControl.control("START TRANSACTION")).isEqualTo("START TRANSACTION");
    assertThat(TransactionControl.control("ROLLBACK")).isEqualTo("ROLLBACK");
    assertThat(TransactionControl.control("ABORT")).isEqualTo("ABORT");
    assertThat(TransactionControl.control("PREPARE TRANSACTION 'x'"))
        .isEqualTo("PREPARE TRANSACTION");
    assertThat(TransactionControl.control("ROLLBACK TO SAVEPOINT a")).isNull();
    assertThat(TransactionControl.control("PREPARE q AS SELECT 1")).isNull();
    assertThat(TransactionControl.control("COMMITTED_ORDERS_VIEW")).isNull();
    assertThat(TransactionControl.control("CREATE TABLE commit (id int)")).isNull();
    assertThat(TransactionControl.control("START_JOB()")).isNull();
  }
}
