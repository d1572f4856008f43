package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import lombok.Getter;
import lombok.Setter;

/** The image that carries the migration scripts and the runner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class MigrationsSpec {
  /** An OCI image reference: registry/repository[:tag][@digest], nothing else. */
  public static final String IMAGE_PATTERN =
      "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

  /**
   * An absolute path without quotes, spaces or shell characters, whose segments are names separated
   * by single dots: no ".." (nor "." or hidden) segments, no "//".
   */
  public static final String PATH_PATTERN =
      "^/([A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)*/?)?$";

  /**
   * A PostgreSQL duration as lock_timeout takes it: "0", "500ms", "10s", "5min", "1h"; no number
   * means milliseconds. Bounded below PostgreSQL's limit of 2147483647 ms (about 24.8 days): at
   * most 9 digits of ms, 6 of seconds, 4 of minutes, and 596 hours.
   */
  public static final String PG_DURATION_PATTERN =
      "^([0-9]{1,9}(ms)?|[0-9]{1,6}s|[0-9]{1,4}min|([0-9]{1,2}|[1-4][0-9]{2}|5[0-8][0-9]|59[0-6])h)$";

  @Pattern(IMAGE_PATTERN)
  @Size(max = 512)
  @JsonPropertyDescription(
      "The migrations image, built FROM Tidemark's base image with the V*/U* SQL scripts copied into path. Pin a tag or digest: the image is the schema's source of truth. Set this or configMap.")
  private String image;

  @JsonPropertyDescription(
      "The scripts from a ConfigMap instead of an image: its keys are mounted as files at path in Tidemark's base runner image (the operator's runner image setting). Set this or image.")
  private MigrationsConfigMap configMap;

  @Default("/migrations")
  @Pattern(PATH_PATTERN)
  @Size(max = 255)
  @JsonPropertyDescription(
      "Folder inside the image where the V<version>__<description>.sql and U<version>__<description>.sql scripts are; with configMap, where its keys are mounted.")
  private String path = "/migrations";

  @JsonPropertyDescription(
      "Image pull policy of the migration Jobs: Always, IfNotPresent or Never. Unset: Kubernetes' own rule (Always for :latest or no tag, IfNotPresent otherwise).")
  private PullPolicy imagePullPolicy;

  @Default("10s")
  @Pattern(PG_DURATION_PATTERN)
  @JsonPropertyDescription(
      "PostgreSQL lock_timeout for every migration statement, so that a migration waiting on a busy table fails instead of blocking the application (e.g. \"10s\"; \"0\" waits forever).")
  private String lockTimeout = "10s";

  @Default("0")
  @Pattern(PG_DURATION_PATTERN)
  @JsonPropertyDescription(
      "PostgreSQL statement_timeout for every migration statement (e.g. \"30min\"; \"0\" means no limit).")
  private String statementTimeout = "0";

  /**
   * Where the scripts come from, as the status records it: the image, or "configmap/NAME" (the
   * scripts' digest in the plan covers the ConfigMap's content).
   */
  public String source() {
    return configMap != null ? "configmap/" + configMap.getName() : image;
  }

  /** Kubernetes image pull policies. */
  public enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }
}
