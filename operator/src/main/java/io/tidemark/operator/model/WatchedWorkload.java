package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A workload watched after a change of revision, as it was when the change finished. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WatchedWorkload that)) {
      return false;
    }
    return Objects.equals(kind, that.kind)
        && Objects.equals(name, that.name)
        && Objects.equals(generation, that.generation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, generation);
  }
}
