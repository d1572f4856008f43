package io.tidemark.operator.model.schema;

import java.util.ArrayList;

/** Schema of a list of tolerations; see {@link TolerationSchema}. */
public class TolerationList extends ArrayList<TolerationSchema> {
  private static final long serialVersionUID = 1L;
}
