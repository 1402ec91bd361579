package org.resbench.experiments;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.harness.io.IoMessages;

/**
 * Resolves an experiment's configuration once: the profile's defaults (the YAML resource {@code NAME.yaml}
 * beside the experiment's class, with top-level keys {@code smoke} and {@code paper}), overlaid by a user file,
 * overlaid by {@code --set key=value} pairs, then
 * bound to the experiment's config record (unknown keys are errors). The result and its map form are what the
 * run records as provenance. Stateless and thread-safe.
 */
public final class ConfigLoader {
  // Nothing is silently changed: 1.5 is not an int (Jackson would store 1), a key given twice is an error (YAML
  // would keep the last), and "null" is not 0.
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ConfigLoader() {}

  /** The profiles every experiment has. */
  public static final List<String> PROFILES = List.of("smoke", "paper");

  /**
   * A resolved configuration.
   *
   * @param config the typed record
   * @param asMap its fields as written to provenance
   * @param profile the profile it started from
   * @param warnings what in the user's file was not used, for the user to read (e.g. another profile's section)
   */
  public record Resolved<C>(C config, Map<String, Object> asMap, String profile, List<String> warnings) {
    public Resolved {
      warnings = List.copyOf(warnings);
    }

    public Resolved(C config, Map<String, Object> asMap, String profile) {
      this(config, asMap, profile, List.of());
    }
  }

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
    List<String> warnings = new ArrayList<>();
    if (file != null) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new IllegalArgumentException("--config " + file + ": " + (Files.isDirectory(file) ? "a folder, not a file"
            : IoMessages.reason(e)) + "; allowed: a readable YAML file of " + experiment.name() + "'s fields");
      }
      JsonNode user = readOne(text, "--config " + file);
      if (user == null || user.isMissingNode() || !user.isObject()) {
        throw new IllegalArgumentException("--config " + file + " is not a YAML mapping; allowed: 'field: value'"
            + " lines, or sections " + String.join(":, ", PROFILES) + ": of them");
      }
      List<String> keys = new ArrayList<>();
      user.fieldNames().forEachRemaining(keys::add);
      List<String> sections = keys.stream().filter(PROFILES::contains).toList();
      JsonNode section = user;
      if (!sections.isEmpty()) {
        List<String> other = keys.stream().filter(k -> !PROFILES.contains(k)).toList();
        if (!other.isEmpty()) {
          throw new IllegalArgumentException("--config " + file + " mixes profile sections (" + String.join(", ",
              sections) + ") with other top-level keys (" + String.join(", ", other) + "); allowed: either fields"
              + " at the top level, or only the sections " + String.join(", ", PROFILES) + " holding fields");
        }
        for (String k : sections) {
          if (!user.get(k).isObject()) {
            throw new IllegalArgumentException("--config " + file + ": section '" + k + "' is not a mapping;"
                + " allowed: 'field: value' lines under '" + k + ":'");
          }
        }
        if (!user.has(profile)) {
          throw new IllegalArgumentException("--config " + file + " has no section for profile '" + profile
              + "' (it has: " + String.join(", ", sections) + "), so none of it would apply; allowed: a '" + profile
              + ":' section, another --profile, or fields at the top level");
        }
        for (String k : sections) {
          if (!k.equals(profile)) {
            warnings.add("--config " + file + ": section '" + k + "' is not used (this run's profile is " + profile
                + ")");
          }
        }
        section = user.get(profile);
      }
      section.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
    }
    java.util.Set<String> setKeys = new java.util.HashSet<>();
    for (String set : sets == null ? List.<String>of() : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set '" + set + "'; allowed: key=value, e.g. depths=[1,2,4] or seed=3");
      }
      String key = set.substring(0, eq).trim();
      if (!setKeys.add(key)) {
        throw new IllegalArgumentException("--set " + key + " is given twice; allowed: each field once");
      }
      JsonNode value = readOne(set.substring(eq + 1), "--set " + key);
      setPath(merged, key, value == null || value.isMissingNode() ? NullNode.getInstance() : value);
    }
    C config = bind(experiment, merged, file);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = YAML.convertValue(config, LinkedHashMap.class);
    return new Resolved<>(config, map, file == null && (sets == null || sets.isEmpty()) ? profile : profile + "+custom",
        warnings);
  }

  /** Parses exactly one YAML document: a second one (after '---') would be ignored, so it is an error. */
  private static JsonNode readOne(String text, String where) {
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      JsonNode node = YAML.readTree(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(where + " holds more than one YAML document (a second after '---');"
            + " allowed: one document");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().split("\n")[0];
      if (msg.startsWith("Duplicate field")) {
        msg = "the key " + msg.substring("Duplicate field ".length()) + " is given twice";
      }
      throw new IllegalArgumentException(where + ": not valid YAML" + (loc != null && loc.getLineNr() > 0 ? " at line "
          + loc.getLineNr() + ", column " + loc.getColumnNr() : "") + " (" + msg + "); allowed: one YAML mapping,"
          + " each key once");
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": " + IoMessages.reason(e));
    }
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
    return bind(node, experiment.configType(), experiment.name() + " config" + (file != null ? " (" + file + ")"
        : ""));
  }

  /**
   * {@code node} as a {@code type}, with the experiments' strictness (unknown fields, nulls for primitives and
   * fractions for integers refused); a refusal is an {@link IllegalArgumentException} that starts with {@code where}
   * and names the field, the value and what is allowed.
   */
  public static <T> T bind(JsonNode node, Class<T> type, String where) {
    try {
      return YAML.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(where + ": unknown field '" + e.getPropertyName() + "'; allowed: "
          + e.getKnownPropertyIds());
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(where + ": " + cause.getMessage(), cause);
    } catch (MismatchedInputException e) {
      throw new IllegalArgumentException(where + ": " + mismatch(e, node));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": " + e.getOriginalMessage());
    }
  }

  /** {@code width: 'abc' is not an integer; allowed: an integer}, with the field, the value and the allowed kind. */
  private static String mismatch(MismatchedInputException e, JsonNode root) {
    StringBuilder field = new StringBuilder();
    JsonNode value = root;
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(r.getFieldName());
        value = value == null ? null : value.get(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        field.append('[').append(r.getIndex()).append(']');
        value = value == null ? null : value.get(r.getIndex());
      }
    }
    String shown = value == null || value.isMissingNode() ? "(missing)" : value.isTextual() ? "'" + value.asText()
        + "'" : value.toString();
    Class<?> t = e.getTargetType();
    String kind = kind(t);
    return (field.length() == 0 ? "the config" : field) + ": " + shown + " is not " + kind + "; allowed: " + kind
        + (t != null && t.isEnum() ? "" : example(t));
  }

  private static String kind(Class<?> t) {
    if (t == null) {
      return "the right kind of value";
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "an integer (no fraction)";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "text";
    }
    if (t.isEnum()) {
      return "one of " + java.util.Arrays.stream(t.getEnumConstants()).map(Object::toString).toList();
    }
    if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    return "a mapping of fields";
  }

  private static String example(Class<?> t) {
    if (t != null && (java.util.Collection.class.isAssignableFrom(t) || t.isArray())) {
      return ", e.g. [1, 2, 4]";
    }
    return "";
  }
}
