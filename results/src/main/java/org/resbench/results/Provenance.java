package org.resbench.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to redo a run and to see why two runs differ (Tribuo's habit: configuration is
 * provenance). Immutable.
 *
 * @param config the resolved configuration (CLI over file over defaults), as written
 * @param configHash 16 hex digits of SHA-256 over the canonical JSON of {@code config}
 * @param backends the backends used
 * @param threads intra-op threads requested (0 = engine default)
 * @param seeds every seed the run used, by purpose
 * @param environment JVM, OS, CPU, cores, host
 * @param resbenchVersion the project version
 * @param gitCommit the source commit (with "-dirty" when the tree had changes), or "unknown"
 * @param start ISO-8601 instant the run started
 * @param end ISO-8601 instant it ended
 * @param sweep the sweep and cell this run belongs to, or null for a run of its own (not written then)
 */
public record Provenance(Map<String, Object> config, String configHash, List<BackendInfo> backends, int threads,
    Map<String, Long> seeds, Map<String, String> environment, String resbenchVersion, String gitCommit, String start,
    String end, @JsonInclude(JsonInclude.Include.NON_NULL) SweepCell sweep) {

  /** The provenance of a run that belongs to no sweep. */
  public Provenance(Map<String, Object> config, String configHash, List<BackendInfo> backends, int threads,
      Map<String, Long> seeds, Map<String, String> environment, String resbenchVersion, String gitCommit, String start,
      String end) {
    this(config, configHash, backends, threads, seeds, environment, resbenchVersion, gitCommit, start, end, null);
  }

  public Provenance {
    config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
    backends = backends == null ? List.of() : List.copyOf(backends);
    seeds = seeds == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(seeds));
    environment = environment == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
  }

  /** The same provenance, recorded as cell {@code cell} of a sweep. */
  public Provenance inSweep(SweepCell cell) {
    return new Provenance(config, configHash, backends, threads, seeds, environment, resbenchVersion, gitCommit, start,
        end, cell);
  }
}
