package io.tidemark.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

/** Installs the CRD from crds/ as a user would (kubectl apply), and waits until it is served. */
final class Crds {
  static final String NAME = "databaseschemas.db.tidemark.io";

  private Crds() {}

  static synchronized void install(KubernetesClient admin) {
    try (InputStream in = Files.newInputStream(Repo.crd())) {
      CustomResourceDefinition crd =
          admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      admin.resource(crd).createOr(NonDeletingOperation::update);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              CustomResourceDefinition crd =
                  admin.apiextensions().v1().customResourceDefinitions().withName(NAME).get();
              return crd != null
                  && crd.getStatus() != null
                  && crd.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }
}
