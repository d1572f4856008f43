package io.tidemark.operator.model.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A list of strings that is a set: the CRD says {@code x-kubernetes-list-type: set} (the API server
 * refuses duplicates) and gives every item this pattern and length, which fabric8's generator
 * cannot put on list items. Read by the build's post-processing ({@code
 * io.tidemark.operator.model.crd}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface StringSet {
  /** The pattern every item matches. */
  String pattern();

  /** The longest item. */
  long maxLength();
}
