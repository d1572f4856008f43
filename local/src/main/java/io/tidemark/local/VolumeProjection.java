package io.tidemark.local;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's projection of {@code secret} and {@code configMap} volumes into files: every key,
 * or the {@code items} named (key to path, with their mode), from the API server. A missing object
 * or key that is {@code optional} leaves it out; otherwise the container cannot start, as with the
 * kubelet (which waits at ContainerCreating; locally it is a CreateContainerConfigError).
 *
 * <p>The layout is the kubelet's (links through {@code ..data} into a hidden folder), so that what
 * reads the volume is tested as it runs in a cluster.
 *
 * <p>Modes: in a cluster the files are owned by root and readable by the pod's fsGroup; locally the
 * container process owns them, so only the owner's bits of the mode are kept (a key projected with
 * 0640 is 0600 here: what libpq asks of a key its user owns).
 */
final class VolumeProjection {
  private final KubernetesClient client;

  VolumeProjection(KubernetesClient client) {
    this.client = client;
  }

  /** True for the volume kinds this class projects. */
  static boolean projects(Volume volume) {
    return volume != null && (volume.getSecret() != null || volume.getConfigMap() != null);
  }

  /** Writes the volume's files into {@code dir}, which it creates. */
  void project(String namespace, Volume volume, Path dir) throws ContainerConfigException {
    Map<String, byte[]> data;
    List<KeyToPath> items;
    boolean optional;
    Integer defaultMode;
    String what;
    if (volume.getSecret() != null) {
      SecretVolumeSource source = volume.getSecret();
      Secret secret =
          client.secrets().inNamespace(namespace).withName(source.getSecretName()).get();
      data = secret == null ? null : secretData(secret);
      items = source.getItems();
      optional = Boolean.TRUE.equals(source.getOptional());
      defaultMode = source.getDefaultMode();
      what = "secret \"" + source.getSecretName() + "\"";
    } else {
      ConfigMapVolumeSource source = volume.getConfigMap();
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(source.getName()).get();
      data = map == null ? null : configMapData(map);
      items = source.getItems();
      optional = Boolean.TRUE.equals(source.getOptional());
      defaultMode = source.getDefaultMode();
      what = "configmap \"" + source.getName() + "\"";
    }
    createDirectories(dir);
    if (data == null) {
      if (optional) {
        return;
      }
      throw new ContainerConfigException(what + " not found (volume " + volume.getName() + ")");
    }
    int fallbackMode = defaultMode == null ? 0644 : defaultMode;
    // The kubelet's atomic writer: the files in a hidden timestamped folder, "..data" linking to
    // it, and each top-level name a link through "..data" (what a program walking the volume
    // sees in a cluster).
    Path timestamped = dir.resolve(".." + TIMESTAMP.format(java.time.LocalDateTime.now()));
    createDirectories(timestamped);
    Map<String, Path> tops = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      for (var entry : data.entrySet()) {
        write(timestamped.resolve(entry.getKey()), entry.getValue(), fallbackMode);
        tops.put(entry.getKey(), Path.of(entry.getKey()));
      }
    } else {
      for (KeyToPath item : items) {
        byte[] value = data.get(item.getKey());
        if (value == null) {
          if (optional) {
            continue;
          }
          throw new ContainerConfigException(
              "couldn't find key "
                  + item.getKey()
                  + " in "
                  + what
                  + " (volume "
                  + volume.getName()
                  + ")");
        }
        Path target = timestamped.resolve(item.getPath()).normalize();
        if (!target.startsWith(timestamped)) {
          throw new ContainerConfigException("item path " + item.getPath() + " leaves the volume");
        }
        write(target, value, item.getMode() == null ? fallbackMode : item.getMode());
        Path top = Path.of(item.getPath()).normalize().getName(0);
        tops.put(top.toString(), top);
      }
    }
    try {
      // A Pod's volume projected again (its container planned twice) points at the new files.
      Files.deleteIfExists(dir.resolve("..data"));
      Files.createSymbolicLink(dir.resolve("..data"), timestamped.getFileName());
      for (Path top : tops.values()) {
        Files.deleteIfExists(dir.resolve(top));
        Files.createSymbolicLink(dir.resolve(top), Path.of("..data").resolve(top));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS");

  private static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }

  private static Map<String, byte[]> configMapData(ConfigMap map) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (map.getBinaryData() != null) {
      map.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    if (map.getData() != null) {
      map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }

  private static void write(Path file, byte[] content, int mode) {
    try {
      createDirectories(file.getParent());
      Files.write(file, content);
      Files.setPosixFilePermissions(file, ownerBits(mode));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<PosixFilePermission> ownerBits(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    if ((mode & 0400) != 0 || (mode & 0040) != 0) {
      permissions.add(PosixFilePermission.OWNER_READ);
    }
    if ((mode & 0200) != 0) {
      permissions.add(PosixFilePermission.OWNER_WRITE);
    }
    if ((mode & 0100) != 0) {
      permissions.add(PosixFilePermission.OWNER_EXECUTE);
    }
    return permissions;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
