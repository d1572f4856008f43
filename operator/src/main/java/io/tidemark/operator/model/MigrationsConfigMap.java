package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/**
 * Migrations kept in a ConfigMap (for example made by kustomize's configMapGenerator from the
 * migrations folder): its keys are the script file names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class MigrationsConfigMap {
  @Required
  @Pattern(DatabaseRef.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of a ConfigMap in the resource's namespace whose keys are the V<version>__<description>.sql and U<version>__<description>.sql scripts (and their .sql.conf files). Mounted at path in Tidemark's base runner image; a ConfigMap holds at most 1 MiB.")
  private String name;

  public MigrationsConfigMap() {}

  public MigrationsConfigMap(String name) {
    this.name = name;
  }
}
