package io.tidemark.migrate;

import java.util.Arrays;
import java.util.Optional;

/** The runner's commands, by the name given on the command line. */
public enum Command {
  MIGRATE("migrate"),
  UNDO("undo"),
  INFO("info"),
  VALIDATE("validate"),
  BASELINE("baseline"),
  PLAN("plan"),
  PREVIEW("preview"),
  VERIFY_ROUNDTRIP("verify-roundtrip"),
  WAIT("wait"),
  CHANGE("change");

  private final String cliName;

  Command(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  public static Optional<Command> byName(String name) {
    return Arrays.stream(values()).filter(c -> c.cliName.equals(name)).findFirst();
  }
}
