package io.tidemark.operator.model.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Schema of {@link io.fabric8.kubernetes.api.model.Toleration} (core/v1 Toleration). */
public class TolerationSchema {
  @JsonPropertyDescription(
      "Taint key the toleration applies to. Empty matches all taint keys; then operator must be Exists.")
  public String key;

  @Pattern("^(Exists|Equal)?$")
  @JsonPropertyDescription(
      "Relationship of key to value: Exists (any value) or Equal (the default).")
  public String operator;

  @JsonPropertyDescription("Taint value the toleration matches; empty when operator is Exists.")
  public String value;

  @Pattern("^(NoSchedule|PreferNoSchedule|NoExecute)?$")
  @JsonPropertyDescription(
      "Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all effects.")
  public String effect;

  @Min(0)
  @JsonPropertyDescription(
      "For the NoExecute effect: seconds the pod stays bound to a node after the taint appears. Unset: forever.")
  public Long tolerationSeconds;
}
