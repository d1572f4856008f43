package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** One destructive change of one revision, found by the plan's rehearsal. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
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

  @Override
  public String toString() {
    return revision + ": " + kind + " " + object;
  }
}
