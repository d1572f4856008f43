package io.tidemark.operator.reconcile;

import io.tidemark.operator.model.DatabaseSchema;

/** Where the flow tells its story: core/v1 Events in a cluster, a list in the unit tests. */
interface Events {
  void normal(DatabaseSchema resource, Reason reason, String message);

  void warning(DatabaseSchema resource, Reason reason, String message);
}
