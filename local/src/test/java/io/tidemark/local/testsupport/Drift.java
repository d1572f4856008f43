package io.tidemark.local.testsupport;

import static io.tidemark.local.testsupport.SchemaStatus.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The drift tests' story, on the mock API server and on the real control plane: a copy of the fixed
 * chain whose applied script is edited, and a schema changed by hand.
 */
public final class Drift {
  /** The chain's first script, which the tests edit after it was applied. */
  public static final String V1 = "V1__create_accounts.sql";

  private Drift() {}

  /** What a test does while a script is edited. */
  @FunctionalInterface
  public interface WhileEdited {
    void run() throws Exception;
  }

  /** Copies the chain's scripts into {@code folder}, so that a test can edit them. */
  public static void copyChain(Path chain, Path folder) throws IOException {
    try (Stream<Path> files = Files.list(chain)) {
      for (Path f : files.toList()) {
        Files.copy(f, folder.resolve(f.getFileName()));
      }
    }
  }

  /**
   * Edits {@link #V1} in {@code chain} (a line appended, as after it was applied), runs {@code
   * check}, and puts the script back as it was.
   */
  public static void withV1Edited(Path chain, WhileEdited check) throws Exception {
    Path v1 = chain.resolve(V1);
    String original = Files.readString(v1);
    try {
      Files.writeString(v1, original + "\n-- edited after it was applied\n");
      check.run();
    } finally {
      Files.writeString(v1, original);
    }
  }

  /** Drifted: True, because {@link #V1}'s checksum no longer matches. */
  public static void assertChecksumMismatchOfV1(DatabaseSchema drifted) {
    assertThat(condition(drifted, "Drifted"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("ChecksumMismatch");
              assertThat(c.getMessage()).contains(V1);
            });
  }

  /**
   * After revision 3 was undone by hand: Drifted says the schema changed outside Tidemark, and the
   * resource is Ready at 3 again (the second entry of its history).
   */
  public static Predicate<DatabaseSchema> changeOutsideRepairedAt3() {
    return r ->
        condition(r, "Drifted").map(c -> "SchemaChangedOutside".equals(c.getReason())).orElse(false)
            && r.getStatus().getPhase() == Phase.Ready
            && "3".equals(r.getStatus().getCurrentRevision())
            && r.getStatus().getHistory().size() == 2;
  }

  /** Drifted's message names the revision found changed and says by whom. */
  public static void assertChangeOutsideReported(DatabaseSchema r) {
    assertThat(condition(r, "Drifted"))
        .get()
        .extracting(Condition::getMessage)
        .asString()
        .contains("revision 2")
        .contains("outside Tidemark");
  }
}
