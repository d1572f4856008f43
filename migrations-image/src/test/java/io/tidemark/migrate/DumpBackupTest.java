package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.report.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change command's backup decisions, with the client tools faked: no database needed. */
class DumpBackupTest {
  @TempDir Path dir;

  private final List<List<String>> calls = new ArrayList<>();

  private DumpBackup backup(String clientVersion) {
    Console console =
        new Console(
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()),
            Redactor.forInputs(List.of(), Map.of()));
    return new DumpBackup(
        dir,
        "shop_todo_",
        2,
        null,
        Map.of("PGDATABASE", "todo"),
        console,
        (env, command) -> {
          calls.add(command);
          return new DumpBackup.ToolResult(0, "pg_dump (PostgreSQL) " + clientVersion);
        });
  }

  @Test
  void aClientOlderThanTheServerIsRefusedBeforeAnythingIsWritten() throws Exception {
    Files.writeString(dir.resolve("shop_todo_20250101T000000Z_r1.dump"), "kept");
    assertThatThrownBy(() -> backup("15.4").take(Instant.EPOCH, "3", "17.2"))
        .isInstanceOfSatisfying(
            RunnerException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.BackupFailed);
              assertThat(e.getMessage())
                  .contains("client in this image is version 15, older than the server (17)")
                  .contains("spec.backup.image");
            });
    assertThat(calls).containsExactly(List.of("pg_dump", "--version"));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("shop_todo_20250101T000000Z_r1.dump");
    }
  }

  @Test
  void versionsAreReadFromWhatTheToolsAndServerSay() {
    assertThat(DumpBackup.clientMajor("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"))
        .contains(15);
    assertThat(DumpBackup.major("17.2")).contains(17);
    assertThat(DumpBackup.major(null)).isEmpty();
  }

  @Test
  void theNameCarriesTheTimeAndTheRevisionItHolds() {
    assertThat(backup("17").fileName(Instant.parse("2026-11-29T20:11:29Z"), "12"))
        .isEqualTo("shop_todo_20261129T201129Z_r12.dump");
  }

  @Test
  void pruningKeepsTheNewestOfThePrefixAndNeverTouchesOtherFiles() {
    List<String> names =
        List.of(
            "shop_todo_20250103T000000Z_r3.dump",
            "shop_todo_20250101T000000Z_r1.dump",
            "shop_todo_20250102T000000Z_r2.dump",
            "shop_todo_20250104T000000Z_r4.dump",
            "shop_todo_extra_20250101T000000Z_r1.dump",
            "shop_todo_20250101T000000Z_r1.dump.bak",
            "notes.txt");
    assertThat(
            DumpBackup.toPrune(
                names,
                "shop_todo_",
                "shop_todo_20250104T000000Z_r4.dump",
                "shop_todo_20250101T000000Z_r1.dump",
                2))
        .containsExactly("shop_todo_20250102T000000Z_r2.dump");
  }

  @Test
  void theDumpedDatabaseAndEntriesComeFromTheTableOfContents() {
    String toc =
        ";\n; Archive created at 2026-11-29\n;     dbname: todo\n;\n"
            + "215; 1259 16385 TABLE public tasks app\n216; 1259 16390 TABLE public users app\n";
    assertThat(DumpBackup.dumpedDatabase(toc)).contains("todo");
    assertThat(DumpBackup.entries(toc)).isEqualTo(2);
  }
}
