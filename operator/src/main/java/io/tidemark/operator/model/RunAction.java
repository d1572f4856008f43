package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a run did: {@code status.lastRun.action}. */
public enum RunAction implements StatusValue {
  MIGRATE("Migrate"),
  UNDO("Undo"),
  RESTORE("Restore");

  private final String value;

  RunAction(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static RunAction of(String value) {
    return StatusValue.parse(values(), value);
  }
}
