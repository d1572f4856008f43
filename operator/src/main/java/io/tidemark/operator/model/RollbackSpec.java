package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import lombok.Getter;
import lombok.Setter;

/** How the schema is put back when the application that needed the change fails to roll out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class RollbackSpec {
  @Default("Undo")
  @JsonPropertyDescription(
      "Undo runs the U scripts back to the previous revision (keeps rows written since, minus the columns the undo drops). Restore restores the backup taken before the change (loses every write since that backup).")
  private RollbackStrategy strategy = RollbackStrategy.Undo;

  @JsonPropertyDescription(
      "Workloads whose failed rollout after a change of revision makes Tidemark roll the schema back. Unset: no automatic rollback.")
  private OnFailedRollout onFailedRollout;

  /** Whether a failed rollout is rolled back by running undo scripts. */
  public boolean undoesOnFailedRollout() {
    return onFailedRollout != null && strategyOrDefault() == RollbackStrategy.Undo;
  }

  public RollbackStrategy strategyOrDefault() {
    return strategy == null ? RollbackStrategy.Undo : strategy;
  }

  /** Undo scripts, or the backup taken before the change. */
  public enum RollbackStrategy {
    Undo,
    Restore
  }
}
