package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A pg_dump taken before a change of revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getTakenAt() {
    return takenAt;
  }

  public void setTakenAt(String takenAt) {
    this.takenAt = takenAt;
  }

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BackupStatus that)) {
      return false;
    }
    return Objects.equals(job, that.job)
        && Objects.equals(file, that.file)
        && Objects.equals(revision, that.revision)
        && Objects.equals(takenAt, that.takenAt)
        && Objects.equals(sizeBytes, that.sizeBytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(job, file, revision, takenAt, sizeBytes);
  }
}
