package io.tidemark.operator.model;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A PostgreSQL database whose schema Tidemark keeps at {@code spec.targetRevision}. The class's
 * annotations make the CRD (crds/): names, columns, category and the root description.
 */
@Group(DatabaseSchema.GROUP)
@Version(DatabaseSchema.VERSION)
@Kind("DatabaseSchema")
@Plural("databaseschemas")
@Singular("databaseschema")
@ShortNames({"dbschema", "dbs"})
@Categories("tidemark")
@JsonClassDescription(
    "A PostgreSQL database whose schema Tidemark keeps at spec.targetRevision, from a migrations "
        + "image of Flyway scripts: Tidemark plans with Jobs, backs up with pg_dump before every change, migrates or undoes, "
        + "and rolls the schema back when the application's rollout fails. Short names dbs and dbschema; category tidemark.")
// kubectl shows the columns in this order (the build's CRD post-processing keeps it; fabric8's
// generator alone sorts them by JSONPath). Priority 1 columns show with -o wide only; Age stays
// last.
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription =
        "Status of the Ready condition: True when the schema is at the target revision.")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Where the resource is in the flow.")
@AdditionalPrinterColumn(
    name = "Current",
    jsonPath = ".status.currentRevision",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Revision the database is at (\"0\": base).")
@AdditionalPrinterColumn(
    name = "Target",
    jsonPath = ".status.targetRevision",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "spec.targetRevision resolved against the migrations image.")
@AdditionalPrinterColumn(
    name = "Latest",
    jsonPath = ".status.latestRevision",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Newest revision in the migrations image.")
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription =
        "Reason of the Ready condition: the step in progress, the failure or hold, or AtTargetRevision.")
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Message of the Ready condition.")
@AdditionalPrinterColumn(
    name = "Approval",
    jsonPath = ".status.approval.digest",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription =
        "Digest of the plan waiting for (or given) approval (spec.approval): the value for the annotation db.tidemark.io/approve.")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time since the resource was created.")
public class DatabaseSchema extends CustomResource<DatabaseSchemaSpec, DatabaseSchemaStatus>
    implements Namespaced {
  public static final String GROUP = "db.tidemark.io";
  public static final String VERSION = "v1alpha1";

  /** Annotation whose new value asks the operator to try a failed or blocked step again. */
  public static final String RETRY_ANNOTATION = GROUP + "/retry";

  /**
   * Annotation holding the digest of the plan a person approves (spec.approval Manual); status.
   * approval.digest says which.
   */
  public static final String APPROVE_ANNOTATION = GROUP + "/approve";

  // Overridden only to annotate spec and status for the generated CRD (description; spec required).
  @Override
  @Required
  @JsonPropertyDescription("What the schema should be, and how Tidemark may get it there.")
  public DatabaseSchemaSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What Tidemark last observed and did; written by the operator only. Never holds a secret.")
  public DatabaseSchemaStatus getStatus() {
    return super.getStatus();
  }

  /**
   * No status until the operator writes one, as on the API server: fabric8's default (an empty
   * object) would make the first status patch "add /status/phase" to a status the server does not
   * have, which a real API server refuses (422).
   */
  @Override
  protected DatabaseSchemaStatus initStatus() {
    return null;
  }
}
