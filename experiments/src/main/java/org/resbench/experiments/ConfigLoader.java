package org.resbench.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves an experiment's configuration once: the profile's defaults (the YAML resource {@code NAME.yaml}
 * beside the experiment's class, with top-level keys {@code smoke} and {@code paper}), overlaid by a user file, overlaid by {@code --set key=value} pairs, then
 * bound to the experiment's config record (unknown keys are errors). The result and its map form are what the
 * run records as provenance. Stateless and thread-safe.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  /** The profiles every experiment has. */
  public static final List<String> PROFILES = List.of("smoke", "paper");

  /**
   * A resolved configuration.
   *
   * @param config the typed record
   * @param asMap its fields as written to provenance
   * @param profile the profile it started from
   */
  public record Resolved<C>(C config, Map<String, Object> asMap, String profile) {}

  /**
   * Resolves {@code experiment}'s config.
   *
   * @param profile {@code smoke} or {@code paper}
   * @param file a YAML file of overrides (flat, or with the profile's key), or null
   * @param sets {@code key=value} overrides, values in YAML syntax (e.g. {@code depths=[1,2,4]})
   */
  public static <C> Resolved<C> resolve(Experiment<C> experiment, String profile, Path file, List<String> sets) {
    if (!PROFILES.contains(profile)) {
      throw new IllegalArgumentException("profile '" + profile + "'; allowed: " + String.join(", ", PROFILES));
    }
    String resource = experiment.name() + ".yaml";
    ObjectNode merged;
    try (InputStream in = experiment.getClass().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing config resource " + resource + " beside "
            + experiment.getClass().getName() + "; an experiment's profiles live in NAME.yaml in its package");
      }
      JsonNode all = YAML.readTree(in);
      JsonNode p = all.get(profile);
      if (p == null || !p.isObject()) {
        throw new IllegalStateException(resource + " has no profile '" + profile + "'");
      }
      merged = (ObjectNode) p.deepCopy();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
    if (file != null) {
      JsonNode user;
      try {
        user = YAML.readTree(Files.readString(file));
      } catch (IOException e) {
        throw new IllegalArgumentException("config file " + file + ": " + e.getMessage().split("\n")[0]
            + "; allowed: a readable YAML mapping of " + experiment.name() + "'s fields");
      }
      if (user == null || !user.isObject()) {
        throw new IllegalArgumentException("config file " + file + " is not a YAML mapping; allowed: 'field: value' lines");
      }
      JsonNode section = user.has(profile) && user.get(profile).isObject() ? user.get(profile) : user;
      section.fields().forEachRemaining(e -> {
        if (!PROFILES.contains(e.getKey())) {
          merged.set(e.getKey(), e.getValue());
        }
      });
    }
    for (String set : sets == null ? List.<String>of() : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set '" + set + "'; allowed: key=value, e.g. depths=[1,2,4] or seed=3");
      }
      String key = set.substring(0, eq).trim();
      JsonNode value;
      try {
        value = YAML.readTree(set.substring(eq + 1));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("--set " + key + ": '" + set.substring(eq + 1) + "' is not a YAML value");
      }
      setPath(merged, key, value);
    }
    C config = bind(experiment, merged, file);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = YAML.convertValue(config, LinkedHashMap.class);
    return new Resolved<>(config, map, file == null && (sets == null || sets.isEmpty()) ? profile : profile + "+custom");
  }

  /**
   * Sets {@code key} in {@code root}; a dotted key ({@code training.lr}) reaches into nested sections, which must
   * exist (a typo is then an error naming the section rather than a silently ignored value).
   */
  private static void setPath(ObjectNode root, String key, JsonNode value) {
    String[] parts = key.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = node.get(parts[i]);
      if (next == null || !next.isObject()) {
        throw new IllegalArgumentException("--set " + key + ": '" + String.join(".", java.util.Arrays.copyOf(parts,
            i + 1)) + "' is not a section of the configuration; allowed: a field, or section.field for "
            + "nested sections");
      }
      node = (ObjectNode) next;
    }
    node.set(parts[parts.length - 1], value);
  }

  /** A configuration as stored in a run's provenance, bound again (to resume the run). */
  public static <C> Resolved<C> fromMap(Experiment<C> experiment, Map<String, Object> stored, String profile) {
    C config = bind(experiment, YAML.valueToTree(stored), null);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = YAML.convertValue(config, LinkedHashMap.class);
    return new Resolved<>(config, map, profile);
  }

  private static <C> C bind(Experiment<C> experiment, JsonNode node, Path file) {
    String where = experiment.name() + " config" + (file != null ? " (" + file + ")" : "");
    try {
      return YAML.treeToValue(node, experiment.configType());
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(where + ": unknown field '" + e.getPropertyName() + "'; allowed: "
          + e.getKnownPropertyIds());
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(where + ": " + cause.getMessage(), cause);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": " + e.getOriginalMessage());
    }
  }
}
