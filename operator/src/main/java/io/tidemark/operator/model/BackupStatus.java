package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** A pg_dump taken before a change of revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class BackupStatus {
  @JsonPropertyDescription("Name of the backup Job.")
  private String job;

  @JsonPropertyDescription("File name of the dump in the backup volume claim.")
  private String file;

  @JsonPropertyDescription("Revision the database was at when the dump was taken.")
  private String revision;

  @JsonPropertyDescription("When the dump finished (RFC 3339).")
  private String takenAt;

  @JsonPropertyDescription("Size of the dump in bytes.")
  private Long sizeBytes;
}
