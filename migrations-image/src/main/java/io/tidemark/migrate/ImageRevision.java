package io.tidemark.migrate;

import org.flywaydb.core.api.MigrationVersion;

/** A revision the migrations image ships: its V script and, if there is one, its U script. */
public record ImageRevision(MigrationVersion version, Script up, Script undo) {

  public String label() {
    return Revisions.label(version);
  }

  public String description() {
    return up.description();
  }

  public boolean hasUndo() {
    return undo != null;
  }
}
