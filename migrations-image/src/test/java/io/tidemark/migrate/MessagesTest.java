package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void normalizeMakesOneLineWithoutFinalPeriodOrRepeatedClause() {
    assertThat(
            Messages.normalize(
                "a failed: ERROR: x.\n  Detail: y; the database is at revision 3;"
                    + " the database is at revision 3."))
        .isEqualTo("a failed: ERROR: x. Detail: y; the database is at revision 3");
    assertThat(Messages.normalize("cut here...")).isEqualTo("cut here...");
    assertThat(Messages.normalize("validation failed: a; b; a"))
        .isEqualTo("validation failed: a; b; a");
    assertThat(Messages.normalize("x; a; a.")).isEqualTo("x; a");
  }

  @Test
  void clauseIsTheFirstLineWithoutFinalPeriod() {
    assertThat(Messages.clause("Found non-empty schema(s) \"public\". Use baseline().\nmore"))
        .isEqualTo("Found non-empty schema(s) \"public\". Use baseline()");
    assertThat(Messages.clause(null)).isEmpty();
  }
}
