package io.tidemark.migrate;

import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;

/**
 * The statements Flyway's own PostgreSQL parser finds in a script: what {@code migrate} sends for a
 * V script. Flyway's internal API (org.flywaydb.core.internal), so it lives here, in one place, for
 * tests only; a Flyway upgrade that moves it breaks this class and nothing else.
 */
final class FlywayStatements {
  private FlywayStatements() {}

  static List<String> split(String sql) {
    // Placeholder replacement off, as the runner configures Flyway (FlywayFactory).
    PostgreSQLParser parser =
        new PostgreSQLParser(
            new FluentConfiguration().placeholderReplacement(false), new ParsingContext());
    List<String> statements = new ArrayList<>();
    try (SqlStatementIterator iterator = parser.parse(new StringResource(sql))) {
      iterator.forEachRemaining(statement -> statements.add(statement.getSql()));
    }
    return statements;
  }
}
