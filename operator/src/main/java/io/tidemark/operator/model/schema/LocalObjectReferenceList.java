package io.tidemark.operator.model.schema;

import java.util.ArrayList;

/** Schema of a list of image pull Secrets; see {@link LocalObjectReferenceSchema}. */
public class LocalObjectReferenceList extends ArrayList<LocalObjectReferenceSchema> {
  private static final long serialVersionUID = 1L;
}
