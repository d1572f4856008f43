package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** status.baseline: when Tidemark adopted the existing schema, at which revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class BaselineStatus {
  @JsonPropertyDescription("The revision the schema was adopted at (spec.baseline.revision).")
  private String revision;

  @JsonPropertyDescription("When the baseline was recorded (RFC 3339).")
  private String at;

  @JsonPropertyDescription("The migrate Job that recorded it.")
  private String job;

  public static BaselineStatus of(String revision, String at, String job) {
    BaselineStatus b = new BaselineStatus();
    b.revision = revision;
    b.at = at;
    b.job = job;
    return b;
  }
}
