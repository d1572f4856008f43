package io.tidemark.cluster;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chart as `helm install` would put it into the cluster, rendered by helm-java: its
 * ServiceAccount and RBAC are applied as they are; the operator itself runs in the test JVM as that
 * ServiceAccount, with the environment of the chart's Deployment.
 */
final class Chart {
  static final String RELEASE = "tidemark";

  /** The chart's kubeVersion floor is 1.25; what we run is newer. */
  static final String KUBE_VERSION = "v1.33.0";

  private static final Set<String> APPLIED =
      Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  final List<HasMetadata> manifests;
  final String namespace;

  private Chart(List<HasMetadata> manifests, String namespace) {
    this.manifests = manifests;
    this.namespace = namespace;
  }

  /** Renders the chart with the values ({@code key=value}) for a release in {@code namespace}. */
  static Chart render(KubernetesClient client, String namespace, Map<String, String> values) {
    TemplateCommand command =
        new Helm(Repo.root().resolve("charts/tidemark"))
            .template()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeVersion(KUBE_VERSION);
    values.forEach(command::set);
    String out = command.call();
    List<HasMetadata> items =
        client.load(new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8))).items();
    return new Chart(items, namespace);
  }

  /** Creates the release namespace and applies the ServiceAccount and the RBAC objects. */
  Chart applyRbac(KubernetesClient admin) {
    if (admin.namespaces().withName(namespace).get() == null) {
      admin
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    for (HasMetadata item : manifests) {
      if (APPLIED.contains(item.getKind())) {
        if (item.getMetadata().getNamespace() == null && !item.getKind().startsWith("Cluster")) {
          item.getMetadata().setNamespace(namespace);
        }
        admin.resource(item).createOr(NonDeletingOperation::update);
      }
    }
    return this;
  }

  List<HasMetadata> ofKind(String kind) {
    return manifests.stream().filter(m -> kind.equals(m.getKind())).toList();
  }

  String serviceAccount() {
    return ofKind("ServiceAccount").get(0).getMetadata().getName();
  }

  /**
   * The operator container's environment as the chart's Deployment sets it (fieldRefs resolved).
   */
  Map<String, String> operatorEnvironment() {
    Deployment deployment = (Deployment) ofKind("Deployment").get(0);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
        String path = var.getValueFrom().getFieldRef().getFieldPath();
        env.put(
            var.getName(),
            switch (path) {
              case "metadata.namespace" -> namespace;
              case "metadata.name" -> "tidemark-operator-local";
              default ->
                  throw new IllegalStateException("field " + path + " is not resolved in tests");
            });
      }
    }
    return env;
  }
}
