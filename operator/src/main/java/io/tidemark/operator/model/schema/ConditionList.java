package io.tidemark.operator.model.schema;

import java.util.ArrayList;

/** Schema of a list of conditions; see {@link ConditionSchema}. */
public class ConditionList extends ArrayList<ConditionSchema> {
  private static final long serialVersionUID = 1L;
}
