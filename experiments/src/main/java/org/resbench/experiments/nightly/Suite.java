package org.resbench.experiments.nightly;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.experiments.ConfigLoader;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.harness.spec.SpecNames;
import org.resbench.results.JsonCodec;

/**
 * What a nightly runs: benchmark items (timings with raw samples) and experiment items (numeric figures taken by
 * {@link NightlyMetrics}), with the timing threshold and the trend length. A YAML file, or the built-in
 * {@code smoke} suite (the resource {@code smoke.yaml} beside this class). Immutable; validated at construction.
 *
 * <pre>
 * name: smoke
 * threshold: 0.05     # timings: the smallest shift of the median that counts (a calibration may raise it)
 * trend: 14           # nights in the trend charts
 * items:
 *   - bench: {backend: ort-cpu, spec: resnet-20, batch: 128, warmup: 3, rounds: 5, iterations: 6, train: true}
 *   - experiment: parity
 *     backends: [ort-cpu]
 *     set: {specs: [resnet-8-in3x8x8], steps: 5}
 * </pre>
 *
 * @param name the suite's name
 * @param threshold the timing threshold, a fraction
 * @param trend nights shown in trend charts (this one included)
 * @param items what to run, in order
 */
public record Suite(String name, double threshold, int trend, List<Item> items) {
  /** Reads suite files into trees (binding them is ConfigLoader's, with the experiments' strictness). */
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The built-in suites. */
  public static final List<String> BUILT_IN = List.of("smoke");

  public Suite {
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("suite name '" + name + "'; allowed: letters, digits, '.', '_' and '-'");
    }
    if (!(threshold > 0 && threshold < 10)) {
      throw new IllegalArgumentException("threshold=" + threshold + "; allowed: a fraction in (0, 10), e.g. 0.05");
    }
    if (trend < 2) {
      throw new IllegalArgumentException("trend=" + trend + "; allowed: 2 or more nights");
    }
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("items: none; allowed: bench and experiment items");
    }
    items = List.copyOf(items);
  }

  /**
   * One item: exactly one of {@code bench} and {@code experiment}.
   *
   * @param bench a benchmark, or null
   * @param experiment an experiment's name, or null
   * @param profile the experiment's profile (default smoke)
   * @param backends the experiment's backends
   * @param set the experiment's config overrides
   */
  public record Item(Bench bench, String experiment, String profile, List<String> backends, Map<String, Object> set) {
    public Item {
      if ((bench == null) == (experiment == null)) {
        throw new IllegalArgumentException("an item has " + (bench == null ? "neither" : "both") + " 'bench' and"
            + " 'experiment'; allowed: exactly one");
      }
      if (experiment != null) {
        ExperimentCatalog.get(experiment);
        profile = profile == null ? "smoke" : profile;
        if (!ConfigLoader.PROFILES.contains(profile)) {
          throw new IllegalArgumentException("profile '" + profile + "'; allowed: " + ConfigLoader.PROFILES);
        }
        if (backends == null || backends.isEmpty()) {
          throw new IllegalArgumentException("experiment " + experiment + ": backends: none; allowed: a list of"
              + " backend names (a nightly names them, so every night runs the same)");
        }
        backends = List.copyOf(backends);
      } else if (profile != null || backends != null || set != null) {
        throw new IllegalArgumentException("a bench item takes its settings inside 'bench'; allowed: profile, backends"
            + " and set only with 'experiment'");
      }
      set = set == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }

    /** The item's name in reports. */
    public String describe() {
      return bench != null ? bench.describe() : experiment;
    }

    /** The experiment's {@code --set key=value} overrides (values as compact JSON, which is YAML). */
    public List<String> sets() {
      return set.entrySet().stream().map(e -> e.getKey() + "=" + compact(e.getValue())).toList();
    }
  }

  /**
   * A benchmark item: inference (and training-step) timings of one spec on one backend, raw samples kept.
   *
   * @param backend the backend
   * @param spec the spec's name
   * @param batch the batch size
   * @param warmup unmeasured calls first
   * @param rounds measured rounds
   * @param iterations calls per round
   * @param train also time training steps
   * @param threads intra-op threads (0 = engine default)
   * @param threshold this item's timing threshold instead of the suite's, or null
   */
  public record Bench(String backend, String spec, int batch, int warmup, int rounds, int iterations, boolean train,
      int threads, Double threshold) {
    public Bench {
      if (backend == null || spec == null) {
        throw new IllegalArgumentException("bench needs backend and spec; allowed: e.g. {backend: ort-cpu, spec:"
            + " resnet-20, batch: 128}");
      }
      SpecNames.parse(spec);
      if (batch < 1 || warmup < 0 || rounds < 1 || iterations < 1 || threads < 0) {
        throw new IllegalArgumentException("bench batch=" + batch + ", warmup=" + warmup + ", rounds=" + rounds
            + ", iterations=" + iterations + ", threads=" + threads + "; allowed: batch, rounds, iterations >= 1,"
            + " warmup, threads >= 0");
      }
      if (threshold != null && !(threshold > 0 && threshold < 10)) {
        throw new IllegalArgumentException("bench threshold=" + threshold + "; allowed: a fraction in (0, 10)");
      }
    }

    /** Reads a bench item; absent fields get their defaults (batch 128, warm-up 3, 5 rounds of 6, no training). */
    @JsonCreator
    static Bench of(@JsonProperty("backend") String backend, @JsonProperty("spec") String spec,
        @JsonProperty("batch") Integer batch, @JsonProperty("warmup") Integer warmup,
        @JsonProperty("rounds") Integer rounds, @JsonProperty("iterations") Integer iterations,
        @JsonProperty("train") Boolean train, @JsonProperty("threads") Integer threads,
        @JsonProperty("threshold") Double threshold) {
      return new Bench(backend, spec, batch == null ? 128 : batch, warmup == null ? 3 : warmup,
          rounds == null ? 5 : rounds, iterations == null ? 6 : iterations, train != null && train,
          threads == null ? 0 : threads, threshold);
    }

    /** e.g. {@code bench ort-cpu resnet-20 b128}. */
    public String describe() {
      return "bench " + backend + " " + spec + " b" + batch;
    }

    /** The key prefix of its metrics. */
    public String keyPrefix() {
      return "bench/" + backend + "/" + spec + "/b" + batch;
    }
  }

  /** Reads a suite; absent fields get their defaults (threshold 0.05, trend 14). */
  @JsonCreator
  static Suite of(@JsonProperty("name") String name, @JsonProperty("threshold") Double threshold,
      @JsonProperty("trend") Integer trend, @JsonProperty("items") List<Item> items) {
    return new Suite(name, threshold == null ? 0.05 : threshold, trend == null ? 14 : trend, items);
  }

  static String compact(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + v + " as a value", e);
    }
  }

  /** A built-in suite by name, or a suite file. */
  public static Suite load(String nameOrFile) {
    if (BUILT_IN.contains(nameOrFile)) {
      try (InputStream in = Suite.class.getResourceAsStream(nameOrFile + ".yaml")) {
        if (in == null) {
          throw new IllegalStateException("missing built-in suite resource " + nameOrFile + ".yaml");
        }
        return parse(YAML.readTree(in), "built-in suite " + nameOrFile);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the built-in suite " + nameOrFile, e);
      }
    }
    Path file = Path.of(nameOrFile);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("suite '" + nameOrFile + "' is neither a built-in suite nor a file; allowed: "
          + BUILT_IN + " or a YAML file");
    }
    try {
      return parse(YAML.readTree(Files.readString(file)), "suite file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("suite file " + file + ": " + e.getMessage().split("\n")[0]
          + "; allowed: a readable YAML mapping");
    }
  }

  private static Suite parse(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " is not a YAML mapping; allowed: name, threshold, trend, items");
    }
    // Field names first: an unknown one would otherwise surface as a missing one from the constructor.
    known(node, where, List.of("name", "threshold", "trend", "items"));
    if (node.get("items") != null && node.get("items").isArray()) {
      for (JsonNode item : node.get("items")) {
        known(item, where + ", item", List.of("bench", "experiment", "profile", "backends", "set"));
        if (item.get("bench") != null) {
          known(item.get("bench"), where + ", bench", List.of("backend", "spec", "batch", "warmup", "rounds",
              "iterations", "train", "threads", "threshold"));
        }
      }
    }
    return ConfigLoader.bind(node, Suite.class, where);
  }

  private static void known(JsonNode node, String where, List<String> allowed) {
    if (node == null || !node.isObject()) {
      return;
    }
    for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown field '" + k + "'; allowed: " + allowed);
      }
    }
  }

  /** The suite as a map (for provenance). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> asMap() {
    return YAML.convertValue(this, LinkedHashMap.class);
  }

  /** 16 hex digits over the suite's canonical JSON. */
  public String hash() {
    return JsonCodec.hash(asMap());
  }
}
