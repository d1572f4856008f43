package io.tidemark.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A PostgreSQL database whose schema Tidemark keeps at {@code spec.targetRevision}.
 */
@Group(DatabaseSchema.GROUP)
@Version(DatabaseSchema.VERSION)
@Kind("DatabaseSchema")
@Plural("databaseschemas")
@Singular("databaseschema")
@ShortNames({"dbschema", "dbs"})
@AdditionalPrinterColumn(name = "Current", jsonPath = ".status.currentRevision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".status.targetRevision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Latest", jsonPath = ".status.latestRevision", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DatabaseSchema extends CustomResource<DatabaseSchemaSpec, DatabaseSchemaStatus> implements Namespaced {
  public static final String GROUP = "db.tidemark.io";
  public static final String VERSION = "v1alpha1";

  /** Annotation whose new value asks the operator to try a failed or blocked step again. */
  public static final String RETRY_ANNOTATION = GROUP + "/retry";

  @Override
  protected DatabaseSchemaStatus initStatus() {
    return new DatabaseSchemaStatus();
  }
}
