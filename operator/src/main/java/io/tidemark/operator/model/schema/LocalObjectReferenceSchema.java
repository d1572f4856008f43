package io.tidemark.operator.model.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.tidemark.operator.model.DatabaseRef;

/**
 * Schema of {@link io.fabric8.kubernetes.api.model.LocalObjectReference}, as an image pull Secret.
 */
public class LocalObjectReferenceSchema {
  @Required
  @Pattern(DatabaseRef.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of a Secret of type kubernetes.io/dockerconfigjson in the resource's namespace.")
  public String name;
}
