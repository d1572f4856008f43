package io.tidemark.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The manifests of one `helm template` run, parsed, with look-ups by kind and name. */
final class Manifests {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String text;
  private final List<JsonNode> docs;

  private Manifests(String text, List<JsonNode> docs) {
    this.text = text;
    this.docs = docs;
  }

  static Manifests parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject() && doc.has("kind")) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered chart is not valid YAML:\n" + yaml, e);
    }
    return new Manifests(yaml, docs);
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String text() {
    return text;
  }

  List<JsonNode> all() {
    return docs;
  }

  List<JsonNode> ofKind(String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .collect(Collectors.toList());
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(d -> name.equals(d.path("metadata").path("name").asText()))
        .findFirst();
  }

  JsonNode one(String kind) {
    List<JsonNode> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one " + kind + ", found " + found.size() + " in:\n" + text);
    }
    return found.get(0);
  }

  List<String> kinds() {
    return docs.stream().map(d -> d.path("kind").asText()).collect(Collectors.toList());
  }
}
