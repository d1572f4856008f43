package io.tidemark.operator.reconcile;

import io.tidemark.operator.jobs.DatabaseEndpoint;
import io.tidemark.operator.model.DatabaseRef;
import io.tidemark.operator.model.DatabaseSchema;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * One database, one owner: of all resources naming the same host, port and database, the oldest
 * (then the first by namespace/name) may run Jobs; the others are Blocked until it goes away.
 */
public final class DatabaseClaims {
  private DatabaseClaims() {}

  /**
   * Name of the primary-cache index by database key, so that a reconcile finds its rivals without a
   * scan.
   */
  public static final String INDEX = "tidemark-database";

  /**
   * The index entry of a resource: its database key, or none while the spec does not name a
   * database.
   */
  public static java.util.List<String> indexKeys(DatabaseSchema r) {
    if (r.getSpec() == null
        || r.getSpec().getDatabase() == null
        || hostOf(r.getSpec().getDatabase()) == null
        || r.getSpec().getDatabase().getName() == null) {
      return java.util.List.of();
    }
    return java.util.List.of(key(r.getSpec().getDatabase(), r.getMetadata().getNamespace()));
  }

  /**
   * host:port/database, with the host as the cluster resolves it: a short Service name is one of
   * the resource's namespace ("postgres" in shop is postgres.shop.svc), and the cluster domain is
   * dropped, so that the same server spelled two ways is one key and two servers are two.
   */
  public static String key(DatabaseRef db, String namespace) {
    String host = hostOf(db).toLowerCase(Locale.ROOT);
    if (host.endsWith(".cluster.local")) {
      host = host.substring(0, host.length() - ".cluster.local".length());
    }
    if (namespace != null && !host.contains(".")) {
      host = host + "." + namespace + ".svc";
    } else if (namespace != null
        && host.chars().filter(c -> c == '.').count() == 1
        && !host.matches("[0-9.]+")) {
      host = host + ".svc";
    }
    return host + ":" + (db.getPort() == null ? 5432 : db.getPort()) + "/" + db.getName();
  }

  /**
   * The resource that owns this one's database, when it is not this one; {@code all} may be any
   * superset of the rivals.
   */
  public static Optional<DatabaseSchema> ownerOtherThan(
      DatabaseSchema resource, Collection<DatabaseSchema> all) {
    if (resource.getSpec() == null
        || resource.getSpec().getDatabase() == null
        || hostOf(resource.getSpec().getDatabase()) == null) {
      return Optional.empty();
    }
    String key = key(resource.getSpec().getDatabase(), resource.getMetadata().getNamespace());
    Optional<DatabaseSchema> owner =
        all.stream()
            .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
            .filter(
                r ->
                    r.getSpec() != null
                        && r.getSpec().getDatabase() != null
                        && hostOf(r.getSpec().getDatabase()) != null
                        && r.getSpec().getDatabase().getName() != null)
            .filter(r -> key.equals(key(r.getSpec().getDatabase(), r.getMetadata().getNamespace())))
            .min(
                Comparator.comparing(
                        (DatabaseSchema r) ->
                            String.valueOf(r.getMetadata().getCreationTimestamp()))
                    .thenComparing(
                        r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()));
    return owner.filter(o -> !o.getMetadata().getUid().equals(resource.getMetadata().getUid()));
  }

  /** The host the Jobs connect to: spec.database.host, or a CloudNativePG cluster's Service. */
  static String hostOf(DatabaseRef db) {
    return DatabaseEndpoint.of(db).host();
  }
}
