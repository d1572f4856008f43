package io.tidemark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, from the API server's audit log of everything the operator did in the classes
 * before this one (it runs last): the operator's ServiceAccount was never refused, and every
 * permission the chart grants it was used, unless the chart says next to the rule why it is there.
 */
@Order(100)
class RbacAuditIT {
  /**
   * In charts/tidemark/templates/_helpers.tpl: {@code # unused-in-tests: group/resource verb,verb:
   * why}.
   */
  static final Pattern JUSTIFIED =
      Pattern.compile("#\\s*unused-in-tests:\\s*(\\S*)/(\\S+)\\s+([a-z,]+):\\s*(\\S.*)");

  @Test
  void theOperatorWasNeverRefusedAndUsedEveryPermissionTheChartGrantsIt() throws IOException {
    TestCluster cluster = TestCluster.get();
    Chart chart = Chart.render(cluster.admin, Operators.RELEASE_NAMESPACE, Map.of());
    String user = ControlPlane.userOf(Operators.RELEASE_NAMESPACE, chart.serviceAccount());
    List<JsonNode> requests = requestsOf(cluster, user);
    assertThat(requests)
        .as("the operator's requests in the audit log (did the other cluster tests run?)")
        .isNotEmpty();

    assertThat(refused(requests)).as("requests of the operator refused by RBAC").isEmpty();

    Set<String> used =
        requests.stream()
            .filter(e -> e.has("objectRef"))
            .map(RbacAuditIT::permission)
            .collect(Collectors.toCollection(TreeSet::new));
    // Kubernetes lets every authenticated user ask what it may do (system:basic-user).
    used.removeIf(p -> p.startsWith("authorization.k8s.io/selfsubject"));
    Set<String> granted = granted(chart);
    assertThat(used).as("used without a grant").isSubsetOf(granted);

    Set<String> justified = justified();
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(used);
    unused.removeAll(justified);
    assertThat(unused)
        .as(
            "granted by the chart but never used by the operator in the cluster tests; remove the grant, or say why"
                + " it is needed in charts/tidemark/templates/_helpers.tpl with '# unused-in-tests: group/resource verb: why'."
                + " Used: %s",
            used)
        .isEmpty();
    Set<String> stale = new TreeSet<>(justified);
    stale.retainAll(used);
    assertThat(stale)
        .as("said to be unused in tests but used: remove the unused-in-tests note")
        .isEmpty();
  }

  /**
   * The audit log's events of the user's requests, once each: when answered, or when a watch's
   * answer started.
   */
  static List<JsonNode> requestsOf(TestCluster cluster, String user) {
    return cluster.controlPlane.audit().stream()
        .filter(e -> user.equals(e.at("/user/username").asText()))
        .filter(
            e ->
                "ResponseComplete".equals(e.at("/stage").asText())
                    || "ResponseStarted".equals(e.at("/stage").asText()))
        .toList();
  }

  /** The permissions of the requests that RBAC refused (403). */
  static Set<String> refused(List<JsonNode> requests) {
    return requests.stream()
        .filter(e -> e.at("/responseStatus/code").asInt() == 403)
        .map(RbacAuditIT::permission)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** "group/resource[/subresource] verb" of an audit event. */
  static String permission(JsonNode e) {
    String group = e.at("/objectRef/apiGroup").asText("");
    String resource = e.at("/objectRef/resource").asText("");
    String sub = e.at("/objectRef/subresource").asText("");
    return group + "/" + resource + (sub.isEmpty() ? "" : "/" + sub) + " " + e.at("/verb").asText();
  }

  /**
   * The operator's grants: its ClusterRole (or Roles) and the leader-election Role, not the users'
   * roles.
   */
  static Set<String> granted(Chart chart) {
    Set<String> granted = new TreeSet<>();
    for (HasMetadata item : chart.manifests) {
      boolean userRole =
          item.getMetadata().getLabels() != null
              && item.getMetadata().getLabels().keySet().stream()
                  .anyMatch(k -> k.startsWith("rbac.authorization.k8s.io/aggregate-to-"));
      List<PolicyRule> rules =
          item instanceof ClusterRole c && !userRole
              ? c.getRules()
              : item instanceof Role r ? r.getRules() : List.of();
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              granted.add(group + "/" + resource + " " + verb);
            }
          }
        }
      }
    }
    return granted;
  }

  static Set<String> justified() throws IOException {
    Set<String> justified = new TreeSet<>();
    for (String line :
        Files.readAllLines(Repo.root().resolve("charts/tidemark/templates/_helpers.tpl"))) {
      Matcher m = JUSTIFIED.matcher(line.strip());
      if (m.matches()) {
        for (String verb : m.group(3).split(",")) {
          justified.add(m.group(1) + "/" + m.group(2) + " " + verb);
        }
      }
    }
    return justified;
  }
}
