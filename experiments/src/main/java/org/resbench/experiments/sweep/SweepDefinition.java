package org.resbench.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.experiments.ConfigLoader;
import org.resbench.experiments.ExperimentCatalog;

/**
 * A sweep file as written: which experiment, its profile, fixed overrides ({@code set}) and the grid whose every
 * combination is one cell. Immutable; validated at construction.
 *
 * <pre>
 * name: shattered-mini          # optional; default: the file's name without .yaml
 * experiment: shattered-gradients
 * profile: smoke                # optional; default smoke
 * backends: [reference]         # the backends of every cell, unless the grid varies 'backends'
 * data: synthetic               # optional image data (default fashion-mnist)
 * threads: 0                    # optional intra-op threads per backend (not part of a cell's identity)
 * set:                          # config fields fixed for every cell
 *   points: 32
 * grid:                         # config fields (or 'backends') and their values; cells in this order
 *   seed: [1, 2, 3]
 *   width: [16, 32]
 * </pre>
 *
 * @param name the sweep's name (letters, digits, '.', '_', '-'); run ids start with it
 * @param experiment the experiment's name
 * @param profile smoke or paper
 * @param backends the backends of every cell when the grid does not vary them, else null
 * @param data the image data set's name
 * @param threads intra-op threads per backend, 0 = engine default
 * @param set fixed config overrides
 * @param grid the varying keys and their values, in file order
 */
public record SweepDefinition(String name, String experiment, String profile, List<String> backends, String data,
    int threads, Map<String, Object> set, Map<String, List<Object>> grid) {

  /** The grid key that varies the backends instead of a config field. */
  public static final String BACKENDS = "backends";
  static final List<String> KEYS = List.of("name", "experiment", "profile", "backends", "data", "threads", "set",
      "grid");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public SweepDefinition {
    if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException("sweep name '" + name + "'; allowed: letters, digits, '.', '_' and '-',"
          + " not starting with '.'");
    }
    ExperimentCatalog.get(experiment == null ? "(none)" : experiment);
    if (!ConfigLoader.PROFILES.contains(profile)) {
      throw new IllegalArgumentException("profile '" + profile + "'; allowed: " + ConfigLoader.PROFILES);
    }
    set = set == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set));
    grid = grid == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    if (grid.isEmpty()) {
      throw new IllegalArgumentException("grid: none; allowed: one or more keys with lists of values, e.g."
          + " 'grid: {seed: [1, 2]}'");
    }
    for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException("grid." + e.getKey() + ": no values; allowed: a non-empty list");
      }
      if (set.containsKey(e.getKey())) {
        throw new IllegalArgumentException("'" + e.getKey() + "' is in both set and grid; allowed: one of them");
      }
    }
    if (set.containsKey(BACKENDS)) {
      throw new IllegalArgumentException("set.backends; allowed: backends at the top level or in the grid");
    }
    if (grid.containsKey(BACKENDS)) {
      if (backends != null) {
        throw new IllegalArgumentException("backends both at the top level and in the grid; allowed: one of them");
      }
      for (Object v : grid.get(BACKENDS)) {
        backendList(v);
      }
    } else if (backends == null || backends.isEmpty()) {
      throw new IllegalArgumentException("backends: none; allowed: a list of backend names (a sweep names its"
          + " backends, so every machine runs the same cells), at the top level or as grid.backends");
    }
    backends = backends == null ? null : List.copyOf(backends);
    if (data == null || data.isBlank()) {
      data = "fashion-mnist";
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads=" + threads + "; allowed: 0 (engine default) or more");
    }
  }

  /** A grid value of {@code backends}: one name or a list of names. */
  static List<String> backendList(Object v) {
    if (v instanceof String s && !s.isBlank()) {
      return List.of(s);
    }
    if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof String)) {
      return l.stream().map(String.class::cast).toList();
    }
    throw new IllegalArgumentException("grid.backends value " + v + "; allowed: a backend name or a list of names");
  }

  /** Reads a sweep file; unknown keys and malformed values are errors naming the file and the key. */
  public static SweepDefinition read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("sweep file " + file + ": " + e.getMessage().split("\n")[0]
          + "; allowed: a readable YAML mapping");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("sweep file " + file + " is not a YAML mapping; allowed: keys " + KEYS);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("sweep file " + file + ": unknown key '" + k + "'; allowed: " + KEYS);
      }
    }
    String stem = file.getFileName().toString().replaceFirst("\\.(ya?ml)$", "");
    try {
      return new SweepDefinition(text(root, "name", stem), text(root, "experiment", null),
          text(root, "profile", "smoke"), root.has(BACKENDS) ? backendList(YAML.convertValue(root.get(BACKENDS),
          Object.class)) : null, text(root, "data", null), root.has("threads") ? root.get("threads").asInt(-1) : 0,
          map(root.get("set"), "set"), grid(root.get("grid")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sweep file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The definition as a map (for provenance and the summary record). */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("experiment", experiment);
    m.put("profile", profile);
    if (backends != null) {
      m.put(BACKENDS, backends);
    }
    m.put("data", data);
    m.put("threads", threads);
    m.put("set", set);
    m.put("grid", grid);
    return m;
  }

  private static String text(JsonNode root, String key, String dflt) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isValueNode()) {
      throw new IllegalArgumentException(key + ": " + n + "; allowed: a single value");
    }
    return n.asText();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode n, String key) {
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(key + ": " + n + "; allowed: a mapping of config fields to values");
    }
    return YAML.convertValue(n, LinkedHashMap.class);
  }

  private static Map<String, List<Object>> grid(JsonNode n) {
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException("grid: " + n + "; allowed: a mapping of keys to lists of values");
    }
    Map<String, List<Object>> g = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isArray()) {
        throw new IllegalArgumentException("grid." + e.getKey() + ": " + e.getValue() + "; allowed: a list of values,"
            + " e.g. [1, 2]");
      }
      List<Object> values = new ArrayList<>();
      e.getValue().forEach(v -> values.add(YAML.convertValue(v, Object.class)));
      g.put(e.getKey(), values);
    }
    return g;
  }
}
