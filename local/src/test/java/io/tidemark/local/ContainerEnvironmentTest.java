package io.tidemark.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerEnvironmentTest {
  @Test
  void referencesToKnownVariablesAreExpandedAsKubernetesDoes() {
    Map<String, String> vars = Map.of("A", "1", "B", "two");
    assertThat(ContainerEnvironment.expand("$(A)-$(B)", vars)).isEqualTo("1-two");
    assertThat(ContainerEnvironment.expand("$(C) stays", vars)).isEqualTo("$(C) stays");
    assertThat(ContainerEnvironment.expand("$$(A) is escaped", vars)).isEqualTo("$(A) is escaped");
    assertThat(ContainerEnvironment.expand("$HOME and $(A", vars)).isEqualTo("$HOME and $(A");
    assertThat(ContainerEnvironment.expand("no refs", vars)).isEqualTo("no refs");
  }
}
