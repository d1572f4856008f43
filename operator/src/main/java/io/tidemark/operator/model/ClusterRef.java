package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/**
 * A CloudNativePG Cluster to connect to. Everything follows from its name, by CloudNativePG's own
 * conventions: the read-write Service, the application user's Secret and the CA Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class ClusterRef {
  /** CloudNativePG's own limit: room for the suffixes it appends (-rw, -app, -ca, -1). */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$";

  @Required
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of the CloudNativePG Cluster (postgresql.cnpg.io/v1) in the resource's namespace. The Jobs connect to the Service <name>-rw with the credentials of the Secret <name>-app (keys username and password, unless usernameKey and passwordKey say otherwise; credentialsSecret names another Secret) and verify the server with ca.crt of the Secret <name>-ca.")
  private String name;
}
