package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which way the plan found the schema must go: {@code status.lastPlan.direction}. */
public enum Direction implements StatusValue {
  UP("up"),
  DOWN("down"),
  NONE("none");

  private final String value;

  Direction(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static Direction of(String value) {
    return StatusValue.parse(values(), value);
  }
}
