package io.tidemark.operator.model.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Schema of {@link io.fabric8.kubernetes.api.model.ResourceClaim} (core/v1). */
public class ResourceClaimSchema {
  @Required
  @JsonPropertyDescription("Name of an entry in the pod's resourceClaims.")
  public String name;

  @JsonPropertyDescription("Name of the request in the claim to use; empty for the whole claim.")
  public String request;
}
