package io.tidemark.operator.model.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Schema of {@link io.fabric8.kubernetes.api.model.Condition} (metav1.Condition). */
public class ConditionSchema {
  @Required
  @JsonPropertyDescription("Type of the condition: Ready, Progressing, Degraded or Drifted.")
  public String type;

  @Required
  @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
  public Status status;

  @JsonPropertyDescription("The metadata.generation the condition was set for.")
  public Long observedGeneration;

  @JsonPropertyDescription("When the condition last changed from one status to another (RFC 3339).")
  public String lastTransitionTime;

  @JsonPropertyDescription(
      "Programmatic identifier, in CamelCase, of the reason for the last transition (e.g. MigrationFailed).")
  public String reason;

  @JsonPropertyDescription(
      "Human-readable message with details about the last transition; never a secret.")
  public String message;

  /** metav1.ConditionStatus. */
  public enum Status {
    True,
    False,
    Unknown
  }
}
