package io.tidemark.migrate;

/**
 * One step of a plan. Up: {@code script} is the V file that runs. Down: {@code script} is the U
 * file that runs (null when it is missing). {@code transactional} is for the file that runs.
 */
public record PlannedRevision(
    String revision,
    String description,
    Script script,
    String upScript,
    String undoScript,
    boolean transactional) {

  public boolean hasUndo() {
    return undoScript != null;
  }
}
