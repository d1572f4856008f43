package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** spec.baseline: the revision an existing schema without history matches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class BaselineSpec {
  /**
   * A Flyway version, not "latest"; base ("0") passes the pattern and is refused by the operator's
   * own check (SpecValidator), since nothing can be adopted at base.
   */
  public static final String BASELINE_REVISION_PATTERN = "^[0-9]{1,30}([._][0-9]{1,30}){0,20}$";

  @Required
  @Pattern(BASELINE_REVISION_PATTERN)
  @Size(min = 1, max = DatabaseSchemaSpec.REVISION_MAX_LENGTH)
  @JsonPropertyDescription(
      "The revision of the image the existing schema already matches, such as \"3\" (Alembic's stamp). When the database's schema has tables or other objects but no flyway_schema_history, the first change records this revision as applied (Flyway's baseline) and applies the later ones. Ignored when the database has a history or an empty schema: Tidemark never baselines a database that has a history.")
  private String revision;
}
