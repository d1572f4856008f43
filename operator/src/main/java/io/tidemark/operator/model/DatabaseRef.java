package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** Where the database is. The operator never connects to it itself: only its Jobs do. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class DatabaseRef {
  /** A DNS name or an IPv4 address; nothing a shell or a connection string could misread. */
  public static final String HOST_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$";

  /**
   * A PostgreSQL identifier as people name databases: no quotes, spaces or separators, and no "$"
   * (Kubernetes rewrites "$$" and "$(NAME)" in container environment values).
   */
  public static final String DATABASE_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_-]{0,62}$";

  /** A Kubernetes object name (RFC 1123 subdomain). */
  public static final String OBJECT_NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";

  /**
   * A Secret data key as Kubernetes allows it: letters, digits, "-", "_" and ".", but not "." or
   * ".." nor anything starting with ".." (which the kubelet refuses to project).
   */
  public static final String SECRET_KEY_PATTERN =
      "^([-_a-zA-Z0-9][-._a-zA-Z0-9]{0,252}|\\.[-_a-zA-Z0-9][-._a-zA-Z0-9]{0,251})$";

  @JsonPropertyDescription(
      "A CloudNativePG Cluster to connect to, instead of host: the host is <name>-rw, the credentials the Secret <name>-app (unless credentialsSecret names another), the CA the Secret <name>-ca, and sslMode defaults to verify-full.")
  private ClusterRef cluster;

  @Pattern(HOST_PATTERN)
  @JsonPropertyDescription(
      "Host name or IP address of the PostgreSQL server, e.g. the read-write Service of the cluster (todo-postgres-rw). Required unless cluster is set.")
  private String host;

  @Default("5432")
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("TCP port of the PostgreSQL server.")
  private Integer port = 5432;

  @Required
  @Pattern(DATABASE_NAME_PATTERN)
  @JsonPropertyDescription("Name of the database whose schema is managed.")
  private String name;

  @Pattern(OBJECT_NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of a Secret in the resource's namespace with the database user's credentials. Jobs read it through secretKeyRef; the operator never reads its data. Required unless cluster is set (then: <cluster>-app).")
  private String credentialsSecret;

  @Default("username")
  @Pattern(SECRET_KEY_PATTERN)
  @JsonPropertyDescription("Key of the user name in the credentials Secret.")
  private String usernameKey = "username";

  @Default("password")
  @Pattern(SECRET_KEY_PATTERN)
  @JsonPropertyDescription("Key of the password in the credentials Secret.")
  private String passwordKey = "password";

  @JsonPropertyDescription(
      "libpq sslmode for every connection: disable, allow, prefer, require, verify-ca or verify-full. Unset: verify-full with cluster, prefer otherwise. verify-ca and verify-full need tls.ca (or cluster).")
  private SslMode sslMode;

  @JsonPropertyDescription(
      "Verified TLS: the CA that verifies the server and an optional client certificate, mounted into every Job.")
  private DatabaseTls tls;

  /** libpq sslmode values. */
  public enum SslMode {
    disable,
    allow,
    prefer,
    require,
    @com.fasterxml.jackson.annotation.JsonProperty("verify-ca")
    verifyCa,
    @com.fasterxml.jackson.annotation.JsonProperty("verify-full")
    verifyFull;

    /** The value as libpq spells it. */
    public String libpqValue() {
      switch (this) {
        case verifyCa:
          return "verify-ca";
        case verifyFull:
          return "verify-full";
        default:
          return name();
      }
    }
  }
}
