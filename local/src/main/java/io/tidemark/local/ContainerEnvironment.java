package io.tidemark.local;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment as the kubelet does: {@code envFrom} first, then {@code env}
 * in order (later names replace earlier ones), with {@code $(VAR)} references to variables defined
 * before expanded, and {@code secretKeyRef}, {@code configMapKeyRef} and {@code fieldRef} read from
 * the API server and the Pod. Playing the kubelet, this class may read Secrets; the operator never
 * does.
 *
 * <p>A missing Secret, ConfigMap or key that is not {@code optional} fails with the kubelet's
 * message, which the executor reports as {@code CreateContainerConfigError}.
 */
final class ContainerEnvironment {
  private static final Pattern LABEL_REF =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  private final KubernetesClient client;

  ContainerEnvironment(KubernetesClient client) {
    this.client = client;
  }

  /** The container's variables with the values the container would see (paths not rewritten). */
  Map<String, String> resolve(Pod pod, Container container) throws ContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    // PGUSER and PGPASSWORD usually come from one Secret: read each object once per resolution.
    Map<String, Optional<Secret>> secrets = new HashMap<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : nullToEmpty(container.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getSecretRef() != null) {
        String name = from.getSecretRef().getName();
        Secret secret = secret(secrets, namespace, name);
        if (secret == null) {
          if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            continue;
          }
          throw new ContainerConfigException("secret \"" + name + "\" not found");
        }
        secretValues(secret).forEach((k, v) -> env.put(prefix + k, v));
      } else if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        ConfigMap map = configMap(namespace, name);
        if (map == null) {
          if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            continue;
          }
          throw new ContainerConfigException("configmap \"" + name + "\" not found");
        }
        nullToEmpty(map.getData()).forEach((k, v) -> env.put(prefix + k, v));
      }
    }
    for (EnvVar var : nullToEmpty(container.getEnv())) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
        continue;
      }
      String value = valueFrom(pod, var.getValueFrom(), secrets);
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  /** The value, or null when an optional source is missing (the variable is then not set). */
  private String valueFrom(Pod pod, EnvVarSource source, Map<String, Optional<Secret>> secrets)
      throws ContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    if (source.getSecretKeyRef() != null) {
      SecretKeySelector ref = source.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Secret secret = secret(secrets, namespace, ref.getName());
      if (secret == null) {
        if (optional) {
          return null;
        }
        throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
      }
      String value = secretValues(secret).get(ref.getKey());
      if (value == null && !optional) {
        throw new ContainerConfigException(
            "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
      }
      return value;
    }
    if (source.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = source.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      ConfigMap map = configMap(namespace, ref.getName());
      if (map == null) {
        if (optional) {
          return null;
        }
        throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
      }
      String value = nullToEmpty(map.getData()).get(ref.getKey());
      if (value == null && !optional) {
        throw new ContainerConfigException(
            "couldn't find key "
                + ref.getKey()
                + " in ConfigMap "
                + namespace
                + "/"
                + ref.getName());
      }
      return value;
    }
    if (source.getFieldRef() != null) {
      return field(pod, source.getFieldRef());
    }
    // resourceFieldRef: nothing on the host limits the process, so there is no true value to give.
    return "";
  }

  private static String field(Pod pod, ObjectFieldSelector selector) {
    String path = selector.getFieldPath() == null ? "" : selector.getFieldPath();
    switch (path) {
      case "metadata.name":
        return pod.getMetadata().getName();
      case "metadata.namespace":
        return pod.getMetadata().getNamespace();
      case "metadata.uid":
        return nullToEmpty(pod.getMetadata().getUid());
      case "spec.nodeName":
        return nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName":
        return nullToEmpty(pod.getSpec().getServiceAccountName());
      case "status.podIP":
      case "status.hostIP":
        return "127.0.0.1";
      default:
        Matcher m = LABEL_REF.matcher(path);
        if (m.matches()) {
          Map<String, String> source =
              m.group(1).equals("labels")
                  ? pod.getMetadata().getLabels()
                  : pod.getMetadata().getAnnotations();
          return nullToEmpty(nullToEmpty(source).get(m.group(2)));
        }
        return "";
    }
  }

  private Secret secret(Map<String, Optional<Secret>> cache, String namespace, String name) {
    return cache
        .computeIfAbsent(
            name,
            n -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(n).get()))
        .orElse(null);
  }

  private ConfigMap configMap(String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get();
  }

  /**
   * {@code data} decoded; {@code stringData} too, because the mock API server stores Secrets as
   * written and does not fold {@code stringData} into {@code data} as a real one does.
   */
  private static Map<String, String> secretValues(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>(nullToEmpty(secret.getStringData()));
    nullToEmpty(secret.getData())
        .forEach(
            (k, v) ->
                values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return values;
  }

  /**
   * Kubernetes' {@code $(VAR)} expansion: a reference to a variable defined so far is replaced by
   * its value, {@code $$} is a literal {@code $}, and a reference to an unknown variable is left as
   * it is.
   */
  static String expand(String input, Map<String, String> vars) {
    if (input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c == '$' && i + 1 < input.length()) {
        char next = input.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (next == '(') {
          int close = input.indexOf(')', i + 2);
          if (close > 0) {
            String name = input.substring(i + 2, close);
            out.append(vars.containsKey(name) ? vars.get(name) : input.substring(i, close + 1));
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  static List<String> expandAll(List<String> inputs, Map<String, String> vars) {
    return inputs.stream().map(s -> expand(s == null ? "" : s, vars)).toList();
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
