package io.tidemark.operator.model.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.tidemark.operator.model.schema.ListMapKeys;
import io.tidemark.operator.model.schema.StringSet;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What fabric8's CRD generator (7.5) cannot say, read from the same Java model:
 *
 * <ul>
 *   <li>the order of the printer columns: the generator sorts them by JSONPath (which would put Age
 *       first), kubectl shows them in the CRD's order; here they get the order of the
 *       {@code @AdditionalPrinterColumn} annotations on the class;
 *   <li>the root description, for {@code kubectl explain}: the class's
 *       {@code @JsonClassDescription} (the generator leaves openAPIV3Schema's empty);
 *   <li>list maps: {@code x-kubernetes-list-type: map} and {@code x-kubernetes-list-map-keys} on
 *       the fields annotated {@link ListMapKeys}, after checking the keys are required.
 * </ul>
 */
public final class DatabaseSchemaCrdPostProcessor implements CRDPostProcessor {
  private static final String MODEL_PACKAGE = "io.tidemark.operator.model";

  private final Class<? extends HasMetadata> resourceClass;

  public DatabaseSchemaCrdPostProcessor(Class<? extends HasMetadata> resourceClass) {
    this.resourceClass = resourceClass;
  }

  @Override
  public HasMetadata process(HasMetadata generated, String crdSpecVersion) {
    CustomResourceDefinition crd = (CustomResourceDefinition) generated;
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      orderPrinterColumns(version);
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      JsonClassDescription description = resourceClass.getAnnotation(JsonClassDescription.class);
      if (description == null || description.value().isBlank()) {
        throw new IllegalStateException(
            resourceClass.getName()
                + " needs a @JsonClassDescription: the CRD's root "
                + "description, which kubectl explain shows");
      }
      root.setDescription(description.value());
      Type[] specAndStatus =
          ((ParameterizedType) resourceClass.getGenericSuperclass()).getActualTypeArguments();
      markListMaps((Class<?>) specAndStatus[0], root.getProperties().get("spec"), "spec");
      markListMaps((Class<?>) specAndStatus[1], root.getProperties().get("status"), "status");
    }
    return crd;
  }

  /** The columns in the order of the class's {@code @AdditionalPrinterColumn} annotations. */
  private void orderPrinterColumns(CustomResourceDefinitionVersion version) {
    List<String> declared =
        Arrays.stream(resourceClass.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    List<CustomResourceColumnDefinition> columns =
        new ArrayList<>(version.getAdditionalPrinterColumns());
    for (CustomResourceColumnDefinition c : columns) {
      if (!declared.contains(c.getName())) {
        throw new IllegalStateException(
            "printer column "
                + c.getName()
                + " is not an @AdditionalPrinterColumn of "
                + resourceClass.getSimpleName()
                + ": its place in kubectl's output would be undefined");
      }
    }
    columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
    version.setAdditionalPrinterColumns(columns);
  }

  /** Walks the model's fields alongside the schema and marks the {@link ListMapKeys} lists. */
  private static void markListMaps(Class<?> type, JSONSchemaProps schema, String path) {
    if (schema == null || schema.getProperties() == null) {
      return;
    }
    for (Class<?> c = type;
        c != null && c.getPackageName().startsWith(MODEL_PACKAGE);
        c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())
            || Modifier.isTransient(field.getModifiers())
            || field.isAnnotationPresent(JsonIgnore.class)) {
          continue;
        }
        JsonProperty renamed = field.getAnnotation(JsonProperty.class);
        String name =
            renamed != null && !renamed.value().isEmpty() ? renamed.value() : field.getName();
        JSONSchemaProps property = schema.getProperties().get(name);
        if (property == null) {
          continue;
        }
        String fieldPath = path + "." + name;
        ListMapKeys keys = field.getAnnotation(ListMapKeys.class);
        if (keys != null) {
          markListMap(property, List.of(keys.value()), fieldPath);
        }
        StringSet set = field.getAnnotation(StringSet.class);
        if (set != null) {
          markStringSet(property, set, fieldPath);
        }
        Class<?> element = field.getType();
        JSONSchemaProps elementSchema = property;
        if (List.class.isAssignableFrom(element)
            && field.getGenericType() instanceof ParameterizedType p
            && p.getActualTypeArguments()[0] instanceof Class<?> itemType) {
          element = itemType;
          elementSchema = property.getItems() == null ? null : property.getItems().getSchema();
        }
        if (element.getPackageName().startsWith(MODEL_PACKAGE)) {
          markListMaps(element, elementSchema, fieldPath);
        }
      }
    }
  }

  private static void markStringSet(JSONSchemaProps list, StringSet set, String path) {
    if (!"array".equals(list.getType())
        || list.getItems() == null
        || list.getItems().getSchema() == null
        || !"string".equals(list.getItems().getSchema().getType())) {
      throw new IllegalStateException(path + ": @StringSet on something that is not a string list");
    }
    list.setXKubernetesListType("set");
    list.getItems().getSchema().setPattern(set.pattern());
    list.getItems().getSchema().setMaxLength(set.maxLength());
  }

  private static void markListMap(JSONSchemaProps list, List<String> keys, String path) {
    if (!"array".equals(list.getType())
        || list.getItems() == null
        || list.getItems().getSchema() == null) {
      throw new IllegalStateException(
          path + ": @ListMapKeys on something that is not a list of objects");
    }
    JSONSchemaProps item = list.getItems().getSchema();
    List<String> required = item.getRequired() == null ? List.of() : item.getRequired();
    for (String key : keys) {
      JSONSchemaProps keySchema =
          item.getProperties() == null ? null : item.getProperties().get(key);
      if (keySchema == null) {
        throw new IllegalStateException(
            path + ": list-map key " + key + " is not a field of the items");
      }
      if (!required.contains(key) && keySchema.getDefault() == null) {
        throw new IllegalStateException(
            path
                + ": list-map key "
                + key
                + " must be required or have a default "
                + "(the API server refuses the CRD otherwise)");
      }
    }
    list.setXKubernetesListType("map");
    list.setXKubernetesListMapKeys(keys);
  }
}
