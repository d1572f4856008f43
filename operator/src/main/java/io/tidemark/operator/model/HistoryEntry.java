package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** A change of revision Tidemark made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class HistoryEntry {
  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription(
      "Applied (migrate), Undone (undo scripts), Restored (from a backup) or Baselined (an existing schema adopted at the revision in to, spec.baseline).")
  private HistoryAction action;

  @JsonPropertyDescription("Revision before the change.")
  private String from;

  @JsonPropertyDescription("Revision after the change.")
  private String to;

  @JsonPropertyDescription("Revisions applied or undone, in the order they ran.")
  private java.util.List<String> revisions;

  @JsonPropertyDescription("Job that made the change.")
  private String job;

  @JsonPropertyDescription("When the change finished (RFC 3339).")
  private String at;

  @JsonPropertyDescription("Why, for a rollback.")
  private String reason;
}
