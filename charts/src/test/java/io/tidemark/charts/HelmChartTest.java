package io.tidemark.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Lints the chart and asserts on the manifests `helm template` renders (through helm-java's bundled
 * Helm library): RBAC (the operator's and the users' aggregated roles), leader election, pod
 * security, probes, resources, PDB, metrics objects (ServiceMonitor, PodMonitor, the PrometheusRule
 * and its values, the Grafana dashboard ConfigMap), the CRD template and its copy, and the values
 * schema.
 */
class HelmChartTest {
  static final Path CHART = Path.of("tidemark");

  /**
   * The chart's copy of the CRD, rendered by templates/crds.yaml (not Helm's crds/: Helm never
   * upgrades those).
   */
  static final Path CHART_CRDS = CHART.resolve("files").resolve("crds");

  static final Path GENERATED_CRDS = Path.of("..", "crds");
  static final String RELEASE = "tidemark";
  static final String NAMESPACE = "tidemark-system";

  /** Helm's default (v1.20) is below the chart's kubeVersion (>=1.25: restricted Pod Security). */
  static final String KUBE_VERSION = "v1.31.0";

  /** The operator's permissions on namespaced resources, "apiGroup/resource" to verbs. */
  static final Map<String, List<String>> OPERATOR_RULES =
      rules(
          "db.tidemark.io/databaseschemas", "list,watch",
          "db.tidemark.io/databaseschemas/status", "patch",
          "db.tidemark.io/databaseschemas/finalizers", "update",
          "batch/jobs", "get,list,watch,create,delete",
          "/pods", "list,watch",
          "/events", "create",
          "apps/deployments", "list,watch",
          "apps/statefulsets", "list,watch",
          "argoproj.io/rollouts", "list,watch");

  static final Map<String, List<String>> LEASE_RULES =
      rules("coordination.k8s.io/leases", "get,create,update,patch");

  // ------------------------------------------------------------------------------- lint

  @Test
  void lintPassesWithoutErrorsOrWarnings() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  // ------------------------------------------------------------------------------- RBAC

  @Test
  void defaultValuesGrantTheOperatorRulesClusterWideAndTheLeaseInItsNamespace() {
    Manifests m = render();

    JsonNode clusterRole = m.find("ClusterRole", RELEASE).orElseThrow();
    assertThat(rulesOf(clusterRole)).isEqualTo(OPERATOR_RULES);

    JsonNode binding = m.one("ClusterRoleBinding");
    assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
    assertThat(binding.at("/roleRef/name").asText())
        .isEqualTo(clusterRole.at("/metadata/name").asText());
    assertSubjectIsOperatorServiceAccount(m, binding);

    // Only the Lease is namespaced: one Role, in the release namespace, for leases only.
    List<JsonNode> roles = m.ofKind("Role");
    assertThat(roles).hasSize(1);
    JsonNode leaseRole = roles.get(0);
    assertThat(leaseRole.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(rulesOf(leaseRole)).isEqualTo(LEASE_RULES);
    JsonNode leaseBinding = m.one("RoleBinding");
    assertThat(leaseBinding.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(leaseBinding.at("/roleRef/name").asText())
        .isEqualTo(leaseRole.at("/metadata/name").asText());
    assertSubjectIsOperatorServiceAccount(m, leaseBinding);
  }

  @Test
  void watchNamespacesGrantRolesInEachOfThemAndNothingClusterWide() {
    Manifests m = render("watchNamespaces[0]=a", "watchNamespaces[1]=b");

    // Cluster-wide, only the users' aggregated roles, bound to nobody by the chart.
    assertThat(clusterRoleNames(m)).containsExactlyInAnyOrder(RELEASE + "-view", RELEASE + "-edit");
    assertThat(m.ofKind("ClusterRoleBinding")).isEmpty();

    Map<String, Map<String, List<String>>> rulesByNamespace = new TreeMap<>();
    List<JsonNode> operatorRoles =
        m.ofKind("Role").stream()
            .filter(r -> !r.at("/metadata/name").asText().endsWith("-leader-election"))
            .collect(Collectors.toList());
    for (JsonNode role : operatorRoles) {
      rulesByNamespace.put(role.at("/metadata/namespace").asText(), rulesOf(role));
    }
    assertThat(rulesByNamespace).containsOnlyKeys("a", "b");
    assertThat(rulesByNamespace.values()).allSatisfy(r -> assertThat(r).isEqualTo(OPERATOR_RULES));

    for (String ns : List.of("a", "b")) {
      List<JsonNode> bindings =
          m.ofKind("RoleBinding").stream()
              .filter(b -> ns.equals(b.at("/metadata/namespace").asText()))
              .collect(Collectors.toList());
      assertThat(bindings).as("RoleBinding in %s", ns).hasSize(1);
      assertThat(bindings.get(0).at("/roleRef/kind").asText()).isEqualTo("Role");
      assertSubjectIsOperatorServiceAccount(m, bindings.get(0));
    }

    JsonNode leaseRole = m.find("Role", RELEASE + "-leader-election").orElseThrow();
    assertThat(leaseRole.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(rulesOf(leaseRole)).isEqualTo(LEASE_RULES);

    assertThat(env(m)).containsEntry("TIDEMARK_WATCH_NAMESPACES", "a,b");
  }

  @Test
  void noRuleEverGrantsSecretsOrWildcards() {
    for (Manifests m :
        List.of(
            render(),
            render("watchNamespaces[0]=a", "watchNamespaces[1]=b"),
            render(
                "replicaCount=2", "serviceMonitor.enabled=true", "prometheusRule.enabled=true"))) {
      List<JsonNode> roles = new ArrayList<>(m.ofKind("ClusterRole"));
      assertThat(roles)
          .as("the users' aggregated roles are there too")
          .hasSizeGreaterThanOrEqualTo(2);
      roles.addAll(m.ofKind("Role"));
      assertThat(roles).isNotEmpty();
      for (JsonNode role : roles) {
        for (JsonNode rule : role.path("rules")) {
          assertThat(texts(rule.path("resources")))
              .doesNotContain("secrets", "*")
              .noneMatch(r -> r.startsWith("secrets"));
          assertThat(texts(rule.path("verbs")))
              .doesNotContain("*", "escalate", "bind", "impersonate");
          assertThat(texts(rule.path("apiGroups"))).doesNotContain("*");
          assertThat(rule.has("nonResourceURLs")).isFalse();
        }
        assertThat(Manifests.YAML.valueToTree(role).toString())
            .doesNotContainIgnoringCase("secret");
      }
    }
  }

  // ------------------------------------------------------------------- the Deployment

  @Test
  void leaderElectionIsOnSoTwoReplicasAreSafe() {
    Manifests m = render("replicaCount=2");
    JsonNode deployment = m.one("Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    Map<String, String> env = env(m);
    assertThat(env)
        .containsEntry("TIDEMARK_LEADER_ELECTION", "true")
        // Named after the release: two releases in one namespace never share a Lease.
        .containsEntry("TIDEMARK_LEADER_ELECTION_LEASE", RELEASE + "-leader")
        .containsEntry("TIDEMARK_LEADER_ELECTION_NAMESPACE", NAMESPACE)
        .containsEntry("TIDEMARK_HTTP_PORT", "8080")
        .containsEntry("TIDEMARK_REPLAN_INTERVAL", "10m")
        .containsEntry("TIDEMARK_FINISHED_JOBS_KEPT", "3")
        .doesNotContainKey("TIDEMARK_WATCH_NAMESPACES")
        .doesNotContainKey("TIDEMARK_BACKUP_IMAGE");
    // Rolling updates never take the only ready replica away.
    assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
    assertThat(render().one("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void operatorValuesBecomeTheDocumentedEnvironment() {
    Manifests m =
        render(
            "operator.backupImage=registry.example.com/pg:{major}",
            "operator.replanInterval=1h",
            "operator.finishedJobsKept=5",
            "leaderElection.namespace=leases");
    Map<String, String> env = env(m);
    assertThat(env)
        .containsEntry("TIDEMARK_BACKUP_IMAGE", "registry.example.com/pg:{major}")
        .containsEntry("TIDEMARK_REPLAN_INTERVAL", "1h")
        .containsEntry("TIDEMARK_FINISHED_JOBS_KEPT", "5")
        .containsEntry("TIDEMARK_LEADER_ELECTION_NAMESPACE", "leases");
    assertThat(
            m.find("Role", RELEASE + "-leader-election")
                .orElseThrow()
                .at("/metadata/namespace")
                .asText())
        .isEqualTo("leases");

    // The base runner image for ConfigMap migrations: this release's, unless set.
    assertThat(env(render()))
        .containsEntry(
            "TIDEMARK_RUNNER_IMAGE",
            "ghcr.io/tidemark/tidemark-migrate:"
                + Manifests.readYaml(CHART.resolve("Chart.yaml")).path("appVersion").asText());
    assertThat(env(render("operator.runnerImage=registry.example.com/migrate:1.2.3")))
        .containsEntry("TIDEMARK_RUNNER_IMAGE", "registry.example.com/migrate:1.2.3");

    Map<String, String> off = env(render("leaderElection.enabled=false"));
    assertThat(off).containsEntry("TIDEMARK_LEADER_ELECTION", "false");
    assertThat(render("leaderElection.enabled=false").find("Role", RELEASE + "-leader-election"))
        .isEmpty();
  }

  @Test
  void podAndContainerFollowTheRestrictedPodSecurityProfile() {
    JsonNode pod = render().one("Deployment").at("/spec/template/spec");
    JsonNode podSc = pod.path("securityContext");
    assertThat(podSc.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(podSc.path("runAsUser").isInt()).as("numeric user").isTrue();
    assertThat(podSc.path("runAsUser").asInt()).isEqualTo(65532);
    assertThat(podSc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

    JsonNode container = onlyContainer(pod);
    JsonNode sc = container.path("securityContext");
    assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(sc.at("/capabilities/drop"))).containsExactly("ALL");
    assertThat(sc.at("/capabilities/add").isMissingNode()).isTrue();
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(sc.path("privileged").asBoolean(false)).isFalse();
    assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

    // A read-only root filesystem needs a writable /tmp.
    JsonNode tmpMount =
        stream(container.path("volumeMounts"))
            .filter(v -> "/tmp".equals(v.path("mountPath").asText()))
            .findFirst()
            .orElseThrow();
    JsonNode tmpVolume =
        stream(pod.path("volumes"))
            .filter(v -> tmpMount.path("name").asText().equals(v.path("name").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(tmpVolume.has("emptyDir")).isTrue();

    assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
    assertThat(pod.path("hostPID").asBoolean(false)).isFalse();
    assertThat(stream(pod.path("volumes")).noneMatch(v -> v.has("hostPath"))).isTrue();
  }

  @Test
  void probesResourcesAndPort() {
    Manifests m = render();
    JsonNode container = onlyContainer(m.one("Deployment").at("/spec/template/spec"));

    JsonNode port = container.path("ports").get(0);
    assertThat(port.path("name").asText()).isEqualTo("http");
    assertThat(port.path("containerPort").asInt()).isEqualTo(8080);
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");

    for (String kind : List.of("requests", "limits")) {
      assertThat(container.at("/resources/" + kind + "/cpu").asText())
          .as("%s.cpu", kind)
          .isNotBlank();
      assertThat(container.at("/resources/" + kind + "/memory").asText())
          .as("%s.memory", kind)
          .isNotBlank();
    }
    assertThat(container.path("image").asText())
        .isEqualTo("ghcr.io/tidemark/tidemark-operator:0.1.0");

    // The metrics Service reaches the pods' http port.
    JsonNode service = m.one("Service");
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    assertThat(selects(service.at("/spec/selector"), m.one("Deployment"))).isTrue();
    assertThat(m.one("ServiceAccount").at("/metadata/name").asText())
        .isEqualTo(m.one("Deployment").at("/spec/template/spec/serviceAccountName").asText());
  }

  @Test
  void podDisruptionBudgetOnlyWithMoreThanOneReplica() {
    assertThat(render().ofKind("PodDisruptionBudget")).isEmpty();

    Manifests two = render("replicaCount=2");
    JsonNode pdb = two.one("PodDisruptionBudget");
    assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(selects(pdb.at("/spec/selector/matchLabels"), two.one("Deployment"))).isTrue();

    assertThat(
            render("replicaCount=2", "podDisruptionBudget.enabled=false")
                .ofKind("PodDisruptionBudget"))
        .isEmpty();
    JsonNode always =
        render("podDisruptionBudget.always=true", "podDisruptionBudget.maxUnavailable=1")
            .one("PodDisruptionBudget");
    assertThat(always.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(always.at("/spec/minAvailable").isMissingNode()).isTrue();
  }

  // ---------------------------------------------------------------- monitoring objects

  @Test
  void serviceMonitorAndPrometheusRuleOnlyWhenEnabled() {
    Manifests defaults = render();
    assertThat(defaults.ofKind("ServiceMonitor")).isEmpty();
    assertThat(defaults.ofKind("PrometheusRule")).isEmpty();

    Manifests m =
        render(
            "serviceMonitor.enabled=true",
            "prometheusRule.enabled=true",
            "serviceMonitor.labels.release=kube-prometheus-stack");
    JsonNode sm = m.one("ServiceMonitor");
    assertThat(sm.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(sm.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    assertThat(sm.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    assertThat(sm.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    assertSetsTheJobLabelTheAlertsExpect(sm.at("/spec/endpoints/0/relabelings"));
    JsonNode service = m.one("Service");
    assertThat(selects(sm.at("/spec/selector/matchLabels"), service.path("metadata"))).isTrue();

    JsonNode rule = m.one("PrometheusRule");
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    // With the default values, the rules are exactly those of the file promtool tests.
    JsonNode alertsFile = Manifests.readYaml(CHART.resolve("files/alerts.yaml"));
    assertThat(rule.path("spec")).isEqualTo(alertsFile);
    assertThat(stream(rule.at("/spec/groups/0/rules")).map(r -> r.path("alert").asText()))
        .containsExactly(ALERTS.toArray(String[]::new));
  }

  static final List<String> ALERTS =
      List.of(
          "TidemarkSchemaFailed",
          "TidemarkSchemaBlocked",
          "TidemarkRollbackFailed",
          "TidemarkSchemaDrifted",
          "TidemarkSchemaBehindTarget",
          "TidemarkAwaitingApproval",
          "TidemarkStuckProgressing",
          "TidemarkOperatorDown",
          "TidemarkNotReconciling");

  /**
   * Tidemark's series carry the DatabaseSchema's namespace: the scrape must honor it, or the
   * Prometheus Operator overwrites it with the operator's namespace (PromtoolRulesTest checks the
   * alerts on the label set such a scrape gives).
   */
  @Test
  void serviceMonitorAndPodMonitorHonorTheResourcesNamespaceLabel() {
    JsonNode sm = render("serviceMonitor.enabled=true").one("ServiceMonitor");
    assertThat(sm.path("spec").path("endpoints"))
        .hasSize(1)
        .allSatisfy(e -> assertThat(honorsLabels(e)).isTrue());

    Manifests m =
        render(
            "podMonitor.enabled=true", "podMonitor.labels.release=prom", "podMonitor.interval=15s");
    assertThat(m.ofKind("ServiceMonitor")).isEmpty();
    JsonNode pm = m.one("PodMonitor");
    assertThat(pm.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(pm.at("/metadata/labels/release").asText()).isEqualTo("prom");
    assertThat(pm.at("/spec/namespaceSelector/matchNames")).hasSize(1);
    assertThat(pm.at("/spec/namespaceSelector/matchNames/0").asText()).isEqualTo(NAMESPACE);
    assertThat(selects(pm.at("/spec/selector/matchLabels"), m.one("Deployment"))).isTrue();
    JsonNode endpoint = pm.at("/spec/podMetricsEndpoints/0");
    assertThat(pm.at("/spec/podMetricsEndpoints")).hasSize(1);
    assertThat(honorsLabels(endpoint)).isTrue();
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("interval").asText()).isEqualTo("15s");
    assertSetsTheJobLabelTheAlertsExpect(endpoint.path("relabelings"));
    assertThat(render().ofKind("PodMonitor")).isEmpty();

    assertThatRenderingFails("serviceMonitor.enabled=true", "podMonitor.enabled=true")
        .hasMessageContaining("choose one");
  }

  @Test
  void prometheusRuleValuesDisableRulesChangeForAddLabelsAndRunbookBase() {
    Manifests m =
        render(
            "prometheusRule.enabled=true",
            "prometheusRule.disabled[0]=TidemarkSchemaBehindTarget",
            "prometheusRule.disabled[1]=TidemarkNotReconciling",
            "prometheusRule.for.TidemarkStuckProgressing=3h",
            "prometheusRule.for.TidemarkRollbackFailed=1m",
            "prometheusRule.alertLabels.team=platform",
            "prometheusRule.alertLabels.severity=none",
            "prometheusRule.runbookBaseUrl=https://runbooks.example.com/tidemark/");
    JsonNode rules = m.one("PrometheusRule").at("/spec/groups/0/rules");
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    rules.forEach(r -> byName.put(r.path("alert").asText(), r));
    assertThat(byName.keySet())
        .containsExactly(
            "TidemarkSchemaFailed",
            "TidemarkSchemaBlocked",
            "TidemarkRollbackFailed",
            "TidemarkSchemaDrifted",
            "TidemarkAwaitingApproval",
            "TidemarkStuckProgressing",
            "TidemarkOperatorDown");
    assertThat(byName.get("TidemarkStuckProgressing").path("for").asText()).isEqualTo("3h");
    assertThat(byName.get("TidemarkRollbackFailed").path("for").asText()).isEqualTo("1m");
    assertThat(byName.get("TidemarkSchemaFailed").path("for").asText()).isEqualTo("5m");
    JsonNode file = Manifests.readYaml(CHART.resolve("files/alerts.yaml")).at("/groups/0/rules");
    for (JsonNode original : file) {
      String name = original.path("alert").asText();
      JsonNode rendered = byName.get(name);
      if (rendered == null) {
        continue;
      }
      assertThat(rendered.path("expr")).as(name).isEqualTo(original.path("expr"));
      assertThat(rendered.at("/labels/team").asText()).as(name).isEqualTo("platform");
      assertThat(rendered.at("/labels/severity"))
          .as("%s: its own severity wins", name)
          .isEqualTo(original.at("/labels/severity"));
      assertThat(rendered.at("/annotations/runbook_url").asText())
          .as(name)
          .isEqualTo("https://runbooks.example.com/tidemark/" + name + ".md");
      assertThat(rendered.at("/annotations/description"))
          .as(name)
          .isEqualTo(original.at("/annotations/description"));
    }

    assertThatRenderingFails(
            "prometheusRule.enabled=true", "prometheusRule.disabled[0]=TidemarkSchemaFailedd")
        .hasMessageContaining(
            "prometheusRule.disabled: TidemarkSchemaFailedd is not one of Tidemark's alerts");
    assertThatRenderingFails("prometheusRule.enabled=true", "prometheusRule.for.TidemarkStuck=2h")
        .hasMessageContaining("prometheusRule.for: TidemarkStuck is not one of Tidemark's alerts");
    assertThatRenderingFails(
            "prometheusRule.enabled=true", "prometheusRule.for.TidemarkStuckProgressing=two hours")
        .hasMessageContaining("TidemarkStuckProgressing");
  }

  // ------------------------------------------------------------------- Grafana dashboard

  @Test
  void grafanaDashboardConfigMapForTheSidecar() throws IOException {
    assertThat(render().ofKind("ConfigMap")).isEmpty();

    JsonNode cm = render("grafanaDashboard.enabled=true").one("ConfigMap");
    assertThat(cm.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(cm.at("/data/tidemark.json").asText())
        .isEqualTo(Files.readString(CHART.resolve("dashboards/tidemark.json")).stripTrailing());

    JsonNode moved =
        render(
                "grafanaDashboard.enabled=true",
                "grafanaDashboard.namespace=monitoring",
                "grafanaDashboard.labels.dashboards=tidemark",
                "grafanaDashboard.annotations.grafana_folder=Databases")
            .one("ConfigMap");
    assertThat(moved.at("/metadata/namespace").asText()).isEqualTo("monitoring");
    assertThat(moved.at("/metadata/labels/dashboards").asText()).isEqualTo("tidemark");
    assertThat(moved.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("Databases");
  }

  // -------------------------------------------------------------------- admission policy

  @Test
  void admissionPolicyOnlyWhenEnabledAndNeverOneThatAllowsEverything() {
    Manifests plain = render();
    assertThat(plain.ofKind("ValidatingAdmissionPolicy")).isEmpty();
    assertThat(plain.ofKind("ValidatingAdmissionPolicyBinding")).isEmpty();
    assertThatRenderingFails("admissionPolicy.enabled=true")
        .hasMessageContaining("admissionPolicy.allowedImages")
        .hasMessageContaining("admissionPolicy.allowedServiceAccounts");
  }

  @Test
  void admissionPolicyChecksImagesAndServiceAccountsOfSpecWrites() {
    Manifests m =
        render(
            "admissionPolicy.enabled=true",
            "admissionPolicy.allowedImages[0]=registry.example.com/",
            "admissionPolicy.allowedImages[1]=ghcr.io/tidemark/",
            "admissionPolicy.allowedServiceAccounts[0]=default",
            "admissionPolicy.namespaceSelector.matchLabels.team=shop");
    JsonNode policy = m.one("ValidatingAdmissionPolicy");
    assertThat(policy.at("/metadata/name").asText()).isEqualTo(RELEASE + "-databaseschemas");
    assertThat(policy.at("/spec/failurePolicy").asText()).isEqualTo("Fail");
    JsonNode rule = policy.at("/spec/matchConstraints/resourceRules/0");
    assertThat(texts(rule.path("resources"))).containsExactly("databaseschemas");
    assertThat(texts(rule.path("operations"))).containsExactly("CREATE", "UPDATE");
    assertThat(policy.at("/spec/matchConditions/0/expression").asText())
        .isEqualTo("request.operation == 'CREATE' || object.spec != oldObject.spec");
    Map<String, String> variables = new TreeMap<>();
    policy
        .at("/spec/variables")
        .forEach(v -> variables.put(v.path("name").asText(), v.path("expression").asText()));
    assertThat(variables)
        .containsEntry("images", "[\"registry.example.com/\",\"ghcr.io/tidemark/\"]")
        .containsEntry("serviceAccounts", "[\"default\"]");
    List<String> expressions = new ArrayList<>();
    policy.at("/spec/validations").forEach(v -> expressions.add(v.path("expression").asText()));
    assertThat(expressions)
        .hasSize(3)
        .anySatisfy(e -> assertThat(e).contains("object.spec.migrations.image.startsWith(p)"))
        .anySatisfy(e -> assertThat(e).contains("object.spec.backup.image.startsWith(p)"))
        .anySatisfy(e -> assertThat(e).contains("variables.serviceAccount in"));

    JsonNode binding = m.one("ValidatingAdmissionPolicyBinding");
    assertThat(binding.at("/spec/policyName").asText()).isEqualTo(RELEASE + "-databaseschemas");
    assertThat(texts(binding.at("/spec/validationActions"))).containsExactly("Deny");
    assertThat(binding.at("/spec/matchResources/namespaceSelector/matchLabels/team").asText())
        .isEqualTo("shop");

    // Only the list that is set becomes a validation; the actions can be tried out first.
    Manifests accountsOnly =
        render(
            "admissionPolicy.enabled=true",
            "admissionPolicy.allowedServiceAccounts[0]=schema-migrations",
            "admissionPolicy.validationActions[0]=Warn",
            "admissionPolicy.validationActions[1]=Audit");
    assertThat(accountsOnly.one("ValidatingAdmissionPolicy").at("/spec/validations")).hasSize(1);
    JsonNode warnOnly = accountsOnly.one("ValidatingAdmissionPolicyBinding");
    assertThat(texts(warnOnly.at("/spec/validationActions"))).containsExactly("Warn", "Audit");
    assertThat(warnOnly.at("/spec/matchResources").isMissingNode()).isTrue();
  }

  @Test
  void admissionPolicyValuesAreChecked() {
    // A prefix without a registry host and slash would match more than it says
    // ("registry.example.com" also matches "registry.example.com.evil.io/x").
    assertThatRenderingFails(
            "admissionPolicy.enabled=true", "admissionPolicy.allowedImages[0]=registry.example.com")
        .hasMessageContaining("/admissionPolicy/allowedImages/0");
    assertThatRenderingFails(
            "admissionPolicy.enabled=true", "admissionPolicy.allowedServiceAccounts[0]=Default_SA")
        .hasMessageContaining("/admissionPolicy/allowedServiceAccounts/0");
    assertThatRenderingFails(
            "admissionPolicy.enabled=true",
            "admissionPolicy.allowedServiceAccounts[0]=default",
            "admissionPolicy.validationActions[0]=Reject")
        .hasMessageContaining("/admissionPolicy/validationActions/0");
  }

  // ----------------------------------------------------------------- users' aggregated roles

  @Test
  void aggregatedRolesLetViewersReadAndEditorsManageDatabaseSchemas() {
    Manifests m = render();
    JsonNode view = m.find("ClusterRole", RELEASE + "-view").orElseThrow();
    assertThat(view.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view").asText())
        .isEqualTo("true");
    assertThat(view.at("/metadata/labels").has("rbac.authorization.k8s.io/aggregate-to-edit"))
        .isFalse();
    assertThat(rulesOf(view)).isEqualTo(rules("db.tidemark.io/databaseschemas", "get,list,watch"));

    JsonNode edit = m.find("ClusterRole", RELEASE + "-edit").orElseThrow();
    assertThat(edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit").asText())
        .isEqualTo("true");
    assertThat(edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-admin").asText())
        .isEqualTo("true");
    assertThat(edit.at("/metadata/labels").has("rbac.authorization.k8s.io/aggregate-to-view"))
        .isFalse();
    assertThat(rulesOf(edit))
        .isEqualTo(
            rules("db.tidemark.io/databaseschemas", "get,list,watch,create,update,patch,delete"));

    // Not bound by the chart: Kubernetes aggregates them into view, edit and admin.
    for (JsonNode binding : m.ofKind("ClusterRoleBinding")) {
      assertThat(binding.at("/roleRef/name").asText())
          .doesNotEndWith("-view")
          .doesNotEndWith("-edit");
    }

    Manifests off = render("rbac.aggregatedRoles=false");
    assertThat(clusterRoleNames(off)).containsExactly(RELEASE);
    // Independent of the operator's own RBAC.
    Manifests noOperatorRbac = render("rbac.create=false");
    assertThat(clusterRoleNames(noOperatorRbac))
        .containsExactlyInAnyOrder(RELEASE + "-view", RELEASE + "-edit");
  }

  // ------------------------------------------------------------------------------ CRD

  @Test
  void chartCrdIsByteIdenticalToTheGeneratedOne() throws IOException {
    assertThat(GENERATED_CRDS.resolve("databaseschemas.db.tidemark.io-v1.yml")).exists();
    List<String> generated = fileNames(GENERATED_CRDS);
    assertThat(fileNames(CHART_CRDS))
        .as("charts/tidemark/files/crds/ holds exactly crds/'s files")
        .isEqualTo(generated);
    for (String name : generated) {
      byte[] copy = Files.readAllBytes(CHART_CRDS.resolve(name));
      byte[] original = Files.readAllBytes(GENERATED_CRDS.resolve(name));
      String stale =
          String.format(
              "charts/tidemark/files/crds/%s is stale: cp crds/%s charts/tidemark/files/crds/",
              name, name);
      // The text first, for a readable difference; then the bytes.
      assertThat(new String(copy, StandardCharsets.UTF_8))
          .as(stale)
          .isEqualTo(new String(original, StandardCharsets.UTF_8));
      assertThat(Arrays.equals(copy, original)).as(stale).isTrue();
    }
    JsonNode crd = Manifests.readYaml(CHART_CRDS.resolve("databaseschemas.db.tidemark.io-v1.yml"));
    assertThat(crd.at("/spec/group").asText()).isEqualTo("db.tidemark.io");
    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("DatabaseSchema");
    // Not in Helm's crds/ as well: Helm would install that copy first and the template's would
    // clash.
    assertThat(CHART.resolve("crds")).doesNotExist();
  }

  @Test
  void theCrdIsATemplateSoThatUpgradesUpgradeItAndUninstallKeepsIt() {
    Manifests m = render();
    JsonNode crd = m.one("CustomResourceDefinition");
    JsonNode file = Manifests.readYaml(CHART_CRDS.resolve("databaseschemas.db.tidemark.io-v1.yml"));
    assertThat(crd.at("/metadata/name").asText()).isEqualTo("databaseschemas.db.tidemark.io");
    assertThat(crd.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    assertThat(crd.at("/metadata/annotations/argocd.argoproj.io~1sync-options").asText())
        .isEqualTo("Delete=false,Prune=false");
    assertThat(crd.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("Helm");
    assertThat(crd.at("/metadata/namespace").isMissingNode()).as("cluster-scoped").isTrue();
    // Everything but the added metadata is the file's, unchanged.
    assertThat(crd.path("spec")).isEqualTo(file.path("spec"));
    assertThat(crd.path("apiVersion")).isEqualTo(file.path("apiVersion"));
    assertThat(crd.path("kind")).isEqualTo(file.path("kind"));

    assertThat(render("crds.install=false").ofKind("CustomResourceDefinition")).isEmpty();
  }

  @Test
  void everyValueIsDocumentedInTheReadme() throws IOException {
    JsonNode values = Manifests.readYaml(CHART.resolve("values.yaml"));
    String readme = Files.readString(CHART.resolve("README.md"));
    List<String> undocumented = new ArrayList<>();
    collectPaths("", values, undocumented, readme);
    assertThat(undocumented).as("values missing from charts/tidemark/README.md").isEmpty();

    // And in values.yaml itself, every top-level key has a comment right above it or its first
    // child.
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      int i = indexOfLine(lines, key + ":");
      boolean commented =
          lines.get(i - 1).trim().startsWith("#")
              || (i + 1 < lines.size() && lines.get(i + 1).trim().startsWith("#"));
      assertThat(commented).as("values.yaml: %s has a comment", key).isTrue();
    }
  }

  @Test
  void valuesSchemaRejectsMisspeltValues() {
    // Helm says: at '/serviceMonitor': additional properties 'enable' not allowed
    assertThatRenderingFails("serviceMonitor.enable=true")
        .hasMessageContaining("/serviceMonitor")
        .hasMessageContaining("'enable'")
        .hasMessageContaining("not allowed");
    assertThatRenderingFails("replicas=2").hasMessageContaining("replicas");
    assertThatRenderingFails("operator.replanIntervall=1h").hasMessageContaining("replanIntervall");
    assertThatRenderingFails("securityContext.runAsUsr=1000").hasMessageContaining("runAsUsr");
    assertThatRenderingFails("grafanaDashboard.enable=true").hasMessageContaining("enable");
    // Free-form maps still take any key.
    assertThat(
            render(
                    "podLabels.team=platform",
                    "nodeSelector.disktype=ssd",
                    "serviceMonitor.labels.release=prom",
                    "global.imageRegistry=registry.example.com")
                .one("Deployment")
                .at("/spec/template/metadata/labels/team")
                .asText())
        .isEqualTo("platform");
  }

  @Test
  void valuesSchemaRejectsMistypedValues() {
    assertThatRenderingFails("watchNamespaces[0]=Bad_NS")
        .hasMessageContaining("/watchNamespaces/0");
    assertThatRenderingFails("replicaCount=two").hasMessageContaining("/replicaCount");
    assertThatRenderingFails("operator.replanInterval=ten minutes")
        .hasMessageContaining("/operator/replanInterval");
  }

  // --------------------------------------------------------------------------- helpers

  /**
   * `helm template` of the chart as release {@link #RELEASE} in {@link #NAMESPACE}, with `--set
   * key=value` for each value given, in order (none: the chart's defaults).
   */
  static Manifests render(String... values) {
    TemplateCommand command =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("not key=value: " + value);
      }
      command = command.set(value.substring(0, eq), value.substring(eq + 1));
    }
    return Manifests.parse(command.call());
  }

  /**
   * Asserts that {@link #render} with these values fails, and returns the assertion on its error.
   */
  static AbstractThrowableAssert<?, ? extends Throwable> assertThatRenderingFails(
      String... values) {
    return assertThatThrownBy(() -> render(values));
  }

  static Map<String, List<String>> rules(String... pairs) {
    Map<String, List<String>> map = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(
          pairs[i],
          List.of(pairs[i + 1].split(",")).stream().sorted().collect(Collectors.toList()));
    }
    return map;
  }

  /** A role's rules as "apiGroup/resource" to sorted verbs; fails on a resource granted twice. */
  static Map<String, List<String>> rulesOf(JsonNode role) {
    Map<String, List<String>> map = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      assertThat(rule.has("resourceNames")).isFalse();
      for (String group : texts(rule.path("apiGroups"))) {
        for (String resource : texts(rule.path("resources"))) {
          List<String> verbs =
              texts(rule.path("verbs")).stream().sorted().collect(Collectors.toList());
          assertThat(map.put(group + "/" + resource, verbs))
              .as("%s/%s granted once", group, resource)
              .isNull();
        }
      }
    }
    return map;
  }

  static void assertSubjectIsOperatorServiceAccount(Manifests m, JsonNode binding) {
    JsonNode sa = m.one("ServiceAccount");
    assertThat(binding.path("subjects")).hasSize(1);
    JsonNode subject = binding.path("subjects").get(0);
    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
    assertThat(subject.path("name").asText()).isEqualTo(sa.at("/metadata/name").asText());
    assertThat(subject.path("namespace").asText()).isEqualTo(NAMESPACE);
  }

  static List<String> clusterRoleNames(Manifests m) {
    return m.ofKind("ClusterRole").stream()
        .map(r -> r.at("/metadata/name").asText())
        .collect(Collectors.toList());
  }

  /** The scrape endpoint keeps the series' own labels (honorLabels: true, a boolean). */
  static boolean honorsLabels(JsonNode endpoint) {
    return endpoint.path("honorLabels").isBoolean() && endpoint.path("honorLabels").asBoolean();
  }

  /** A relabeling sets job="tidemark-operator", the job label the alerts select on. */
  static void assertSetsTheJobLabelTheAlertsExpect(JsonNode relabelings) {
    assertThat(
            stream(relabelings)
                .anyMatch(
                    r ->
                        "job".equals(r.path("targetLabel").asText())
                            && "tidemark-operator".equals(r.path("replacement").asText())))
        .as("job label the alerts expect")
        .isTrue();
  }

  static JsonNode onlyContainer(JsonNode podSpec) {
    assertThat(podSpec.path("containers")).hasSize(1);
    return podSpec.path("containers").get(0);
  }

  static Map<String, String> env(Manifests m) {
    JsonNode container = onlyContainer(m.one("Deployment").at("/spec/template/spec"));
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      if (e.has("value")) {
        assertThat(e.path("value").isTextual())
            .as("env %s is a string", e.path("name").asText())
            .isTrue();
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    }
    return env;
  }

  /**
   * Whether every label of the selector is on the Deployment's pod template (or on the given
   * metadata).
   */
  static boolean selects(JsonNode selector, JsonNode target) {
    JsonNode labels =
        target.has("spec") ? target.at("/spec/template/metadata/labels") : target.path("labels");
    assertThat(selector.size()).isPositive();
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  static List<String> texts(JsonNode array) {
    return stream(array).map(JsonNode::asText).collect(Collectors.toList());
  }

  static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list.stream();
  }

  static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new))
          .stream()
          .collect(Collectors.toList());
    }
  }

  /**
   * Leaf value paths (dotted) that the README does not name; a documented object (e.g. `resources`)
   * covers its children, and list or map values with defaults count as leaves.
   */
  static void collectPaths(String prefix, JsonNode node, List<String> undocumented, String readme) {
    if (!prefix.isEmpty() && readme.contains("`" + prefix + "`")) {
      return;
    }
    if (node.isObject() && node.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collectPaths(
            prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
            e.getValue(),
            undocumented,
            readme);
      }
    } else {
      undocumented.add(prefix);
    }
  }

  static int indexOfLine(List<String> lines, String start) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(start)) {
        return i;
      }
    }
    throw new AssertionError("values.yaml has no line starting with " + start);
  }
}
