package io.tidemark.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one command, written with --report as compact JSON of at most 4096 bytes (a
 * Kubernetes termination message). Field names and meanings are the contract of version 1; see
 * docs/runner-report.md. Null fields are left out; readers ignore fields they do not know.
 *
 * <p>The runner fills it in as a command goes and writes it with {@link ReportWriter}; the operator
 * reads it back from a Pod's termination message with {@link #parse(String)}. The backup Job's
 * shell script writes the same envelope by hand, with {@code file} and {@code sizeBytes}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "v",
  "command",
  "ok",
  "exit",
  "reason",
  "message",
  "current",
  "target",
  "latest",
  "direction",
  "revisions",
  "undoMissing",
  "truncated",
  "failed",
  "server",
  "digest",
  "baseline",
  "rehearsal",
  "ms",
  "file",
  "sizeBytes",
  "from",
  "stages"
})
public final class Report {
  public static final int VERSION = 1;

  private static final ObjectMapper READER = new ObjectMapper();

  public int v = VERSION;
  public String command;
  public boolean ok;
  public int exit;
  public String reason;
  public String message;
  public String current;
  public String target;
  public String latest;
  public String direction;
  public List<String> revisions;
  public List<String> undoMissing;
  public Integer truncated;
  public String failed;
  public String server;
  public String digest;

  /**
   * Plan and migrate with --baseline-at: the revision a schema with objects but no history is (for
   * a plan: will be) adopted at. Absent when no baseline was needed.
   */
  public String baseline;

  /** plan --rehearse: what applying the plan to a schema-only copy showed. */
  public Rehearsal rehearsal;

  public Long ms;

  /** Backup Jobs only: the dump's file name in the backup volume. */
  public String file;

  /** Backup Jobs only: the dump's size. */
  public Long sizeBytes;

  /**
   * change: the revision the database was at when the change was planned ({@code current} is where
   * it is at the end).
   */
  public String from;

  /**
   * change: the stages that ran, in order (plan, backup, migrate or undo); the last one that is not
   * ok is where the command stopped. {@code revisions} are the planned ones; a migrate or undo
   * stage's {@code count} says how many of them it applied or undid, from the first.
   */
  public List<Stage> stages;

  /** Sets revisions and undoMissing together; the writer trims both when they do not fit. */
  public void revisions(List<String> revisions, List<String> undoMissing) {
    this.revisions = List.copyOf(revisions);
    this.undoMissing = List.copyOf(undoMissing);
    this.truncated = 0;
  }

  public void succeed() {
    ok = true;
    exit = ExitCode.OK.code();
    reason = null;
    message = null;
  }

  /** A failure: {@code exit} is always the reason's exit code. */
  public void fail(Reason why, String explanation) {
    ok = false;
    exit = why.exitCode().code();
    reason = why.name();
    message = explanation;
  }

  /** Parses a termination message; empty when it is not a report (e.g. the tail of a log). */
  public static Optional<Report> parse(String terminationMessage) {
    if (terminationMessage == null) {
      return Optional.empty();
    }
    String text = terminationMessage.trim();
    if (!text.startsWith("{")) {
      return Optional.empty();
    }
    try {
      return Optional.of(READER.readValue(text, Report.class));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  public boolean succeeded() {
    return ok;
  }

  public List<String> revisionsOrEmpty() {
    return revisions == null ? List.of() : revisions;
  }

  /**
   * The rehearsal of a plan on a schema-only copy of the managed schema in a scratch database: done
   * (with what each revision does that is destructive) or skipped (and why).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Rehearsal {
    public static final String DONE = "done";
    public static final String SKIPPED = "skipped";

    /** "done" or "skipped". */
    public String outcome;

    /** Why the rehearsal was skipped (e.g. no privilege to create a database). */
    public String reason;

    /** What the plan's revisions do that may lose data or fail or lock on real data. */
    public List<Finding> destructive;

    /** Findings left out of {@link #destructive} to keep the report small. */
    public Integer truncated;

    public boolean foundDestructive() {
      return destructive != null && !destructive.isEmpty() || truncated != null && truncated > 0;
    }
  }

  /** One stage of a change: its name, whether it ended well, how long it took. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"name", "ok", "ms", "count"})
  public static final class Stage {
    public static final String PLAN = "plan";
    public static final String BACKUP = "backup";
    public static final String MIGRATE = "migrate";
    public static final String UNDO = "undo";

    /** plan, backup, migrate or undo. */
    public String name;

    public boolean ok;

    public Long ms;

    /** migrate and undo: how many of the planned revisions were applied or undone. */
    public Integer count;

    public Stage() {}

    public Stage(String name, boolean ok, long ms, Integer count) {
      this.name = name;
      this.ok = ok;
      this.ms = ms;
      this.count = count;
    }
  }

  /** The stage named {@code name}, if it ran. */
  public Optional<Stage> stage(String name) {
    return stages == null
        ? Optional.empty()
        : stages.stream().filter(s -> name.equals(s.name)).findFirst();
  }

  /** One destructive change of one revision, found by a rehearsal. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Finding {
    public String revision;

    /**
     * TableDropped, ColumnDropped, SchemaDropped, IndexDropped, ConstraintDropped,
     * ColumnTypeChanged, NotNullAdded, CheckAdded, UniqueAdded, IndexNotConcurrent.
     */
    public String kind;

    /** The object, schema-qualified: a table, a column (table.column), an index or constraint. */
    public String object;

    public Finding() {}

    public Finding(String revision, String kind, String object) {
      this.revision = revision;
      this.kind = kind;
      this.object = object;
    }
  }
}
