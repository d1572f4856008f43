package io.tidemark.operator.jobs;

/** The kinds of Job Tidemark runs, as they appear in Job names, labels and Events. */
public enum Step {
  PLAN("plan"),
  BACKUP("backup"),
  MIGRATE("migrate"),
  UNDO("undo"),
  RESTORE("restore"),
  /**
   * The whole change in one Job: the runner's change command plans, checks, backs up and migrates
   * or undoes, and reports each stage.
   */
  CHANGE("change");

  private final String label;

  Step(String label) {
    this.label = label;
  }

  /** The value of the {@code db.tidemark.io/step} label and the Job name's middle part. */
  public String label() {
    return label;
  }

  /** Whether a Job of this step changes the schema (migrate, undo, restore, change). */
  public boolean changesSchema() {
    return this == MIGRATE || this == UNDO || this == RESTORE || this == CHANGE;
  }

  public static Step fromLabel(String label) {
    for (Step s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown step " + label);
  }
}
