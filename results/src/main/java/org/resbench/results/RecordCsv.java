package org.resbench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run record as CSV tables, for spreadsheets, pandas and R: every table and series of its data, found by walking
 * the record's JSON (so plug-ins' data gets the same treatment without code of their own). Rules:
 * <ul>
 *   <li>{@code run.csv}: one row, the record's own fields (id, experiment, profile, status, start, end, backends,
 *       commit, config hash); {@code provenance.csv}: {@code key,value} rows of the configuration, seeds and
 *       environment.
 *   <li>The data's scalar fields: {@code data.csv}, one row.
 *   <li>A list of objects at path P: {@code P.csv}, one row per element, one column per scalar field (fields of
 *       nested objects as {@code outer.inner}).
 *   <li>A list of numbers or strings inside such an element (a series, e.g. a curve's gradients), or in the data
 *       itself: {@code P.FIELD.csv} in long form: the element's identifying columns (its text, integer and boolean
 *       fields), then {@code index} and {@code value}. A list of objects inside an element is a table of its own with
 *       the element's identifying columns first.
 * </ul>
 * Every file starts with a header line; values are as the JSON holds them (numbers exactly, non-finite ones as
 * {@code NaN}, {@code Infinity}, {@code -Infinity}); fields with a comma, quote or line break are quoted. Stateless.
 */
public final class RecordCsv {
  private RecordCsv() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** File name to CSV text, in a stable order. */
  public static Map<String, String> tables(RunRecord record) {
    JsonNode root;
    try {
      root = MAPPER.readTree(JsonCodec.write(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    Table run = table(tables, "run");
    Provenance p = record.provenance();
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", record.id());
    row.put("experiment", record.experiment());
    row.put("profile", record.profile());
    row.put("status", record.status().name());
    row.put("start", p.start());
    row.put("end", p.end());
    row.put("backends", String.join(" ", p.backends().stream().map(BackendInfo::name).toList()));
    row.put("gitCommit", p.gitCommit());
    row.put("configHash", p.configHash());
    row.put("resbenchVersion", p.resbenchVersion());
    run.add(row);
    Table prov = table(tables, "provenance");
    flattenPairs(prov, "config", root.path("provenance").path("config"));
    flattenPairs(prov, "seeds", root.path("provenance").path("seeds"));
    flattenPairs(prov, "environment", root.path("provenance").path("environment"));
    flattenPairs(prov, "threads", root.path("provenance").path("threads"));
    JsonNode data = root.path("data");
    if (data.isObject()) {
      element(tables, "data", "", data, new LinkedHashMap<>());
    }
    Map<String, String> out = new LinkedHashMap<>();
    tables.forEach((name, t) -> {
      if (!t.rows.isEmpty()) {
        out.put(name + ".csv", t.csv());
      }
    });
    return out;
  }

  /**
   * One object: its scalars (nested objects' scalars dotted) become a row of {@code table}, its lists become tables
   * or series named after {@code path}.
   */
  private static void element(Map<String, Table> tables, String table, String path, JsonNode node,
      Map<String, String> keys) {
    Map<String, String> row = new LinkedHashMap<>(keys);
    Map<String, String> identifying = new LinkedHashMap<>(keys);
    List<Map.Entry<String, JsonNode>> lists = new ArrayList<>();
    scalars(node, "", row, identifying, lists);
    // The data's own scalars (its type, a spec name) would repeat on every row of every table: only elements of
    // lists pass theirs on.
    Map<String, String> ownKeys = path.isEmpty() ? keys : identifying;
    if (row.size() > keys.size()) {
      table(tables, table).add(row);
    }
    for (Map.Entry<String, JsonNode> e : lists) {
      String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JsonNode list = e.getValue();
      boolean objects = false;
      for (JsonNode item : list) {
        objects |= item.isObject();
      }
      if (objects) {
        for (JsonNode item : list) {
          if (item.isObject()) {
            element(tables, name, name, item, ownKeys);
          }
        }
      } else {
        Table series = table(tables, name);
        int i = 0;
        for (JsonNode item : list) {
          Map<String, String> r = new LinkedHashMap<>(ownKeys);
          r.put("index", Integer.toString(i++));
          r.put("value", item.isContainerNode() ? item.toString() : item.isNull() ? "" : item.asText());
          series.add(r);
        }
      }
    }
  }

  /** Collects the scalars of {@code node} (dotted through nested objects) and its lists. */
  private static void scalars(JsonNode node, String prefix, Map<String, String> row, Map<String, String> keys,
      List<Map.Entry<String, JsonNode>> lists) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String name = prefix + f.getKey();
      JsonNode v = f.getValue();
      if (v.isObject()) {
        scalars(v, name + ".", row, keys, lists);
      } else if (v.isArray()) {
        lists.add(Map.entry(name, v));
      } else {
        String text = v.isNull() ? "" : v.asText();
        row.put(name, text);
        if (v.isTextual() || v.isIntegralNumber() || v.isBoolean()) {
          keys.put(name, text);
        }
      }
    }
  }

  private static void flattenPairs(Table t, String prefix, JsonNode node) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flattenPairs(t, prefix + "." + e.getKey(), e.getValue()));
    } else if (!node.isMissingNode()) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("key", prefix);
      r.put("value", node.isNull() ? "" : node.isContainerNode() ? node.toString() : node.asText());
      t.add(r);
    }
  }

  private static Table table(Map<String, Table> tables, String name) {
    return tables.computeIfAbsent(name, k -> new Table());
  }

  /** Rows with the union of their columns, in first-seen order. */
  private static final class Table {
    final List<String> columns = new ArrayList<>();
    final List<Map<String, String>> rows = new ArrayList<>();

    void add(Map<String, String> row) {
      for (String c : row.keySet()) {
        if (!columns.contains(c)) {
          columns.add(c);
        }
      }
      rows.add(row);
    }

    String csv() {
      StringBuilder b = new StringBuilder();
      b.append(String.join(",", columns.stream().map(RecordCsv::quote).toList())).append('\n');
      for (Map<String, String> r : rows) {
        for (int i = 0; i < columns.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          b.append(quote(r.getOrDefault(columns.get(i), "")));
        }
        b.append('\n');
      }
      return b.toString();
    }
  }

  /** A CSV field, quoted when it holds a comma, quote or line break. */
  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
