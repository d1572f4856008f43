/**
 * Schema-only stand-ins for the fabric8 Kubernetes types the resource embeds (Condition,
 * Toleration, ResourceRequirements, LocalObjectReference).
 *
 * <p>fabric8's model classes carry no descriptions, so the CRD generator would emit their
 * properties undocumented. The fields of the resource keep the fabric8 types (that is what the
 * operator reads and writes); {@code @SchemaFrom} on those fields points the CRD generator at these
 * classes instead, which mirror the Kubernetes types field for field and add the descriptions
 * (taken from the Kubernetes API reference) and a little validation. Nothing ever instantiates
 * them.
 */
package io.tidemark.operator.model.schema;
