package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

/**
 * verify-roundtrip: migrate to latest, undo to a revision, migrate again, and compare the catalog
 * after each leg. Catches undo scripts that do not put back what their V script changed.
 * Destructive by design (it runs the undo scripts): for CI and scratch databases.
 */
public final class RoundTrip {
  /** The revisions cycled and the differences found (empty when the round trip is clean). */
  public record Result(List<String> revisions, List<String> differences) {}

  private final MigrationScripts image;
  private final FlywayFactory flywayFactory;
  private final PostgresConnector connector;
  private final Console console;
  private final String schema;

  public RoundTrip(
      MigrationScripts image,
      FlywayFactory flywayFactory,
      PostgresConnector connector,
      Console console,
      String schema) {
    this.image = image;
    this.flywayFactory = flywayFactory;
    this.connector = connector;
    this.console = console;
    this.schema = schema;
  }

  public Result run(MigrationVersion to) {
    HistoryState start = HistoryState.read(flywayFactory.create());
    Validator.requireValid(start, image, flywayFactory.create());
    List<String> cycled = new ArrayList<>();
    List<String> missingUndo = new ArrayList<>();
    for (ImageRevision revision : image.revisions()) {
      if (Revisions.compare(revision.version(), to) > 0) {
        cycled.add(revision.label());
        if (!revision.hasUndo()) {
          missingUndo.add(revision.label());
        }
      }
    }
    if (!missingUndo.isEmpty()) {
      throw new RunnerException(
          Reason.UndoScriptMissing,
          "cannot round-trip: no undo script for revision(s) "
              + String.join(", ", missingUndo)
              + " in "
              + image.location()
              + "; nothing was changed");
    }
    Migrator migrator = new Migrator(flywayFactory, image, console, connector, List.of(schema));
    UndoRunner undoRunner = new UndoRunner(connector, console, schema);
    List<String> differences = new ArrayList<>();

    CatalogSnapshot atTo = null;
    if (Revisions.compare(start.current(), to) <= 0) {
      console.progress("round trip: migrating to " + Revisions.label(to));
      migrator.migrate(Planner.plan(image, start, to));
      atTo = capture();
    }
    console.progress("round trip: migrating to latest " + Revisions.label(image.latest()));
    migrator.migrate(Planner.plan(image, current(), image.latest()));
    CatalogSnapshot atLatest = capture();

    console.progress("round trip: undoing to " + Revisions.label(to));
    undoRunner.undo(Planner.plan(image, current(), to));
    if (atTo != null) {
      for (String difference : capture().differencesFrom(atTo)) {
        differences.add("after undo to " + Revisions.label(to) + ": " + difference);
      }
    }

    console.progress("round trip: migrating to latest again");
    migrator.migrate(Planner.plan(image, current(), image.latest()));
    for (String difference : capture().differencesFrom(atLatest)) {
      differences.add("after migrating again: " + difference);
    }
    return new Result(cycled, differences);
  }

  private HistoryState current() {
    return HistoryState.read(flywayFactory.create());
  }

  private CatalogSnapshot capture() {
    try (Connection connection = connector.open()) {
      return CatalogSnapshot.capture(connection, schema);
    } catch (SQLException e) {
      throw new RunnerException(Reason.Internal, "cannot read the catalog: " + e.getMessage(), e);
    }
  }
}
