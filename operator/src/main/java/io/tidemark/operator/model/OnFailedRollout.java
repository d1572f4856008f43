package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import lombok.Getter;
import lombok.Setter;

/** The application rollout that needed a change of revision, watched for a window after it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class OnFailedRollout {
  /**
   * A Kubernetes duration as Go writes it: "15m", "1h30m", "90s"; hours, minutes, seconds, in that
   * order, not empty.
   */
  public static final String WINDOW_PATTERN =
      "^([0-9]{1,4}h([0-9]{1,4}m)?([0-9]{1,6}s)?|[0-9]{1,6}m([0-9]{1,6}s)?|[0-9]{1,7}s)$";

  @Required
  @Size(min = 1, max = 20)
  @JsonPropertyDescription(
      "Workloads in the resource's namespace to watch after every change of revision.")
  private List<WorkloadRef> workloads = new ArrayList<>();

  @Default("15m")
  @Pattern(WINDOW_PATTERN)
  @JsonPropertyDescription(
      "How long after a change of revision a failed rollout of the workloads rolls the schema back, as a Go duration (\"15m\", \"1h\").")
  private String window = "15m";
}
