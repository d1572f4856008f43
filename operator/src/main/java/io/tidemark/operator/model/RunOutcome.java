package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a migrate, undo or restore run ended (or that it has not yet): {@code status.lastRun.outcome}. */
public enum RunOutcome implements StatusValue {
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed");

  private final String value;

  RunOutcome(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static RunOutcome of(String value) {
    return StatusValue.parse(values(), value);
  }
}
