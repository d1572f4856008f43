package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/**
 * What the plan's rehearsal on a schema-only copy found (spec.approval Manual or OnDestructive).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class RehearsalStatus {
  @JsonPropertyDescription("done, or skipped (reason says why).")
  private String outcome;

  @JsonPropertyDescription(
      "Why the rehearsal was skipped, e.g. the database user may not create databases.")
  private String reason;

  @JsonPropertyDescription(
      "What the plan's revisions do that may lose data, or fail or lock on real data.")
  private List<DestructiveChange> destructive;

  @JsonPropertyDescription("Destructive changes left out of the list to keep the status small.")
  private Integer truncated;

  public static final String DONE = "done";

  @JsonIgnore
  public boolean done() {
    return DONE.equals(outcome);
  }

  /** Whether the rehearsal ran and found nothing destructive. */
  @JsonIgnore
  public boolean foundNothingDestructive() {
    return done()
        && (destructive == null || destructive.isEmpty())
        && (truncated == null || truncated == 0);
  }
}
