package org.resbench.experiments.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.experiments.ConfigLoader;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.results.JsonCodec;

/**
 * A sweep's cells: every combination of the grid's values (the first key varies slowest), each resolved to the
 * experiment's full configuration and identified by 16 hex digits of SHA-256 over the canonical JSON of that
 * configuration, its backends and its data set — so the id is the same on every machine and every run, and the
 * order of the grid's keys does not change it. Shard {@code I/N} holds the cells whose position among the ids
 * sorted in ASCII order is {@code I} modulo {@code N}. Immutable.
 *
 * @param definition the sweep file
 * @param cells the cells in grid order
 * @param hash 16 hex digits over the sweep's name, experiment and cell ids in order: shards of one plan share it
 */
public record SweepPlan(SweepDefinition definition, List<Cell> cells, String hash) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public SweepPlan {
    cells = List.copyOf(cells);
  }

  /**
   * One cell. Immutable.
   *
   * @param index its position in grid order, from 0
   * @param id its stable id
   * @param point the grid's values for it, by key
   * @param sets the {@code key=value} overrides (fixed ones, then the point's) that resolve its config
   * @param backends the backends it runs on
   * @param config the resolved configuration as the run records it
   */
  public record Cell(int index, String id, Map<String, Object> point, List<String> sets, List<String> backends,
      Map<String, Object> config) {
    public Cell {
      point = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(point));
      sets = List.copyOf(sets);
      backends = List.copyOf(backends);
      config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** The point in words, e.g. {@code seed=2 width=32}. */
    public String describe() {
      StringBuilder s = new StringBuilder();
      point.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=')
          .append(v instanceof String t ? t : compact(v)));
      return s.toString();
    }
  }

  /** Plans {@code d}: resolves every cell's config (an invalid value is an error naming the cell). */
  public static SweepPlan of(SweepDefinition d) {
    Experiment<?> experiment = ExperimentCatalog.get(d.experiment());
    List<String> keys = new ArrayList<>(d.grid().keySet());
    List<Map<String, Object>> points = new ArrayList<>();
    product(d.grid(), keys, 0, new LinkedHashMap<>(), points);
    List<Cell> cells = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Map<String, Object> point : points) {
      List<String> sets = new ArrayList<>();
      d.set().forEach((k, v) -> sets.add(k + "=" + compact(v)));
      List<String> backends = d.backends();
      for (Map.Entry<String, Object> e : point.entrySet()) {
        if (e.getKey().equals(SweepDefinition.BACKENDS)) {
          backends = SweepDefinition.backendList(e.getValue());
        } else {
          sets.add(e.getKey() + "=" + compact(e.getValue()));
        }
      }
      int index = cells.size();
      Map<String, Object> config;
      try {
        config = ConfigLoader.resolve(experiment, d.profile(), null, sets).asMap();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sweep " + d.name() + ", cell " + index + " (" + new Cell(index, "", point,
            sets, List.of(), Map.of()).describe() + "): " + e.getMessage(), e);
      }
      Map<String, Object> identity = new LinkedHashMap<>();
      identity.put("experiment", d.experiment());
      identity.put("config", config);
      identity.put("backends", backends);
      identity.put("data", d.data());
      String id = JsonCodec.hash(identity);
      Integer twin = seen.putIfAbsent(id, index);
      if (twin != null) {
        throw new IllegalArgumentException("sweep " + d.name() + ": cells " + twin + " and " + index
            + " resolve to the same configuration (id " + id + "); allowed: distinct grid values");
      }
      cells.add(new Cell(index, id, point, sets, backends, config));
    }
    Map<String, Object> whole = new LinkedHashMap<>();
    whole.put("name", d.name());
    whole.put("experiment", d.experiment());
    whole.put("cells", cells.stream().map(Cell::id).toList());
    return new SweepPlan(d, cells, JsonCodec.hash(whole));
  }

  /** The cells of {@code shard}, in grid order. */
  public List<Cell> shard(Shard shard) {
    return cells.stream().filter(c -> shardOf(c, shard.count()) == shard.index()).toList();
  }

  /** The shard (of {@code count}) that runs {@code cell}: its position among the sorted ids, modulo count. */
  public int shardOf(Cell cell, int count) {
    List<String> sorted = cells.stream().map(Cell::id).sorted(Comparator.naturalOrder()).toList();
    return sorted.indexOf(cell.id()) % count;
  }

  /** The run id of a cell's record: {@code SWEEP-CELLID}. */
  public String runId(Cell cell) {
    return definition.name() + "-" + cell.id();
  }

  private static void product(Map<String, List<Object>> grid, List<String> keys, int k,
      LinkedHashMap<String, Object> at, List<Map<String, Object>> out) {
    if (k == keys.size()) {
      out.add(new LinkedHashMap<>(at));
      return;
    }
    for (Object v : grid.get(keys.get(k))) {
      at.put(keys.get(k), v);
      product(grid, keys, k + 1, at, out);
    }
    at.remove(keys.get(k));
  }

  /** A value as compact JSON (which is also YAML), e.g. {@code [1,2]} or {@code "ff-bn"}. */
  static String compact(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + v + " as a value", e);
    }
  }
}
