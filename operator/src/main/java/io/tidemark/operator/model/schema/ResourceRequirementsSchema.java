package io.tidemark.operator.model.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/** Schema of {@link io.fabric8.kubernetes.api.model.ResourceRequirements} (core/v1). */
public class ResourceRequirementsSchema {
  @JsonPropertyDescription(
      "Minimum compute resources the container needs, by resource name (cpu, memory, ephemeral-storage), as Kubernetes quantities (\"250m\", \"256Mi\").")
  public Map<String, Quantity> requests;

  @JsonPropertyDescription(
      "Maximum compute resources the container may use, by resource name, as Kubernetes quantities.")
  public Map<String, Quantity> limits;

  @JsonPropertyDescription(
      "Dynamic resource claims (DRA) the container uses, by name of an entry in the pod's resourceClaims. Rarely needed for migrations.")
  public List<ResourceClaimSchema> claims;
}
