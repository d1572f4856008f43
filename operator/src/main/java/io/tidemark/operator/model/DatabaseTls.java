package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import lombok.Getter;
import lombok.Setter;

/**
 * Verified TLS for every Job (plan, backup, migrate, undo, restore): files mounted from Secrets and
 * ConfigMaps, named to libpq (and the runner) by PGSSLROOTCERT, PGSSLCERT and PGSSLKEY. The
 * operator never reads them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class DatabaseTls {
  @JsonPropertyDescription(
      "The CA certificate that verifies the server, mounted for every Job as PGSSLROOTCERT. Required by sslMode verify-ca and verify-full; with require it also makes libpq verify the CA.")
  private CaSource ca;

  @Pattern(DatabaseRef.OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of a kubernetes.io/tls Secret in the resource's namespace with a client certificate (tls.crt) and its unencrypted key (tls.key, PEM: PKCS#8 or PKCS#1 RSA), for a server that authenticates clients by certificate. Mounted as PGSSLCERT and PGSSLKEY, the key readable by the Job's user only.")
  private String clientCertificateSecret;
}
