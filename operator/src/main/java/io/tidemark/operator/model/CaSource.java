package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Getter;
import lombok.Setter;

/** Where the CA certificate that verifies the server is: a Secret key or a ConfigMap key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class CaSource {
  @JsonPropertyDescription(
      "A key of a Secret in the resource's namespace holding the CA certificate (PEM). Set this or configMap.")
  private KeySelector secret;

  @JsonPropertyDescription(
      "A key of a ConfigMap in the resource's namespace holding the CA certificate (PEM), e.g. a trust bundle distributed by trust-manager. Set this or secret.")
  private KeySelector configMap;
}
