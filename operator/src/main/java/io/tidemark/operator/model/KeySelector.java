package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** One key of a Secret or ConfigMap in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class KeySelector {
  @Required
  @Pattern(DatabaseRef.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription("Name of the Secret or ConfigMap in the resource's namespace.")
  private String name;

  @Default("ca.crt")
  @Pattern(DatabaseRef.SECRET_KEY_PATTERN)
  @JsonPropertyDescription("Key whose value is the PEM-encoded CA certificate (or bundle).")
  private String key = "ca.crt";

  public KeySelector() {}

  public KeySelector(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String keyOrDefault() {
    return key == null ? "ca.crt" : key;
  }
}
