package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** A workload watched after a change of revision, as it was when the change finished. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class WatchedWorkload {
  @JsonPropertyDescription("Deployment, StatefulSet or Rollout.")
  private String kind;

  @JsonPropertyDescription("Name of the workload.")
  private String name;

  @JsonPropertyDescription(
      "Its metadata.generation when the change finished (0 when it did not exist yet).")
  private Long generation;

  public WatchedWorkload() {}

  public WatchedWorkload(String kind, String name, Long generation) {
    this.kind = kind;
    this.name = name;
    this.generation = generation;
  }
}
