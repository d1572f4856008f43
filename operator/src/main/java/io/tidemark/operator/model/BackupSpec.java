package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import lombok.Getter;
import lombok.Setter;

/** pg_dump before every change of revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class BackupSpec {
  @Default("true")
  @JsonPropertyDescription(
      "Take a pg_dump -Fc backup before every change of revision. When true, no migration starts without a successful backup.")
  private Boolean enabled = true;

  @Pattern(DatabaseRef.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "PersistentVolumeClaim, in the resource's namespace, where the dumps are written. Required when backups are enabled.")
  private String volumeClaim;

  @Default("5")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "How many dumps of this resource to keep in the volume claim; the oldest beyond this number are removed after a successful backup.")
  private Integer keep = 5;

  @Pattern(MigrationsSpec.IMAGE_PATTERN)
  @Size(max = 512)
  @JsonPropertyDescription(
      "Image with pg_dump and a POSIX shell for backup Jobs. Defaults to the official postgres image of the server's major version (reported by the plan), so that pg_dump is never older than the server.")
  private String image;

  public boolean isEnabled() {
    return !Boolean.FALSE.equals(enabled);
  }

  public int keepOrDefault() {
    return keep == null ? 5 : keep;
  }
}
