package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One destructive change of one revision, found by the plan's rehearsal. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DestructiveChange {
  @JsonPropertyDescription("The revision that makes the change.")
  private String revision;

  @JsonPropertyDescription(
      "TableDropped, ColumnDropped, SchemaDropped, IndexDropped, ConstraintDropped, ColumnTypeChanged, NotNullAdded, CheckAdded, UniqueAdded or IndexNotConcurrent.")
  private String kind;

  @JsonPropertyDescription("The object, schema-qualified (a column as schema.table.column).")
  private String object;

  public static DestructiveChange of(String revision, String kind, String object) {
    DestructiveChange c = new DestructiveChange();
    c.revision = revision;
    c.kind = kind;
    c.object = object;
    return c;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getObject() {
    return object;
  }

  public void setObject(String object) {
    this.object = object;
  }

  @Override
  public String toString() {
    return revision + ": " + kind + " " + object;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DestructiveChange that
        && Objects.equals(revision, that.revision)
        && Objects.equals(kind, that.kind)
        && Objects.equals(object, that.object);
  }

  @Override
  public int hashCode() {
    return Objects.hash(revision, kind, object);
  }
}
