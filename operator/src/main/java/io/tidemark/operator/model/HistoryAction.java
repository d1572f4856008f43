package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a change of revision was: {@code status.history[].action}. */
public enum HistoryAction implements StatusValue {
  APPLIED("Applied"),
  UNDONE("Undone"),
  RESTORED("Restored");

  private final String value;

  HistoryAction(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static HistoryAction of(String value) {
    return StatusValue.parse(values(), value);
  }
}
