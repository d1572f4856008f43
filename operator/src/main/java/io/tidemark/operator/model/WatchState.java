package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where the watch of an application rollout after a change is: {@code status.rolloutWatch.state}. */
public enum WatchState implements StatusValue {
  WATCHING("Watching"),
  VERIFIED("Verified"),
  EXPIRED("Expired"),
  FAILED("Failed"),
  ROLLED_BACK("RolledBack"),
  ROLLBACK_FAILED("RollbackFailed"),
  SUPERSEDED("Superseded");

  private final String value;

  WatchState(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static WatchState of(String value) {
    return StatusValue.parse(values(), value);
  }
}
