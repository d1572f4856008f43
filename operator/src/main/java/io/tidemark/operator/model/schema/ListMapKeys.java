package io.tidemark.operator.model.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The list is a map keyed by these fields of its items: the CRD says {@code x-kubernetes-list-type:
 * map} and {@code x-kubernetes-list-map-keys}, so that the API server refuses two items with the
 * same keys and server-side apply merges items by key. fabric8's CRD generator has no annotation
 * for it; the build's post-processing ({@code io.tidemark.operator.model.crd}) reads this one.
 * Every key must be required (or defaulted) in the item schema, or the API server refuses the CRD;
 * the post-processing checks.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ListMapKeys {
  String[] value();
}
