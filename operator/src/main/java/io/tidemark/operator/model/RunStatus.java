package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** One migrate, undo or restore run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class RunStatus {
  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription("What ran: Migrate, Undo or Restore.")
  private RunAction action;

  @JsonPropertyDescription("Revision before the run.")
  private String from;

  @JsonPropertyDescription("Revision the run aimed at.")
  private String to;

  @JsonPropertyDescription("Name of the Job.")
  private String job;

  @JsonPropertyDescription("When the Job started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the Job finished (RFC 3339).")
  private String finishedAt;

  @SchemaFrom(type = String.class)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription("Running, Succeeded or Failed.")
  private RunOutcome outcome;

  @JsonPropertyDescription(
      "What the runner reported: the failing revision and PostgreSQL's error, never a secret.")
  private String message;
}
