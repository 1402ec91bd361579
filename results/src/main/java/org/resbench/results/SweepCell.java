package org.resbench.results;

import java.util.Map;

/**
 * Where a run sits in a sweep: the sweep's name and hash (of its experiment, profile and every cell id, so two
 * shards of one sweep file agree and a changed file does not), the cell's stable id and place, and the grid
 * point it ran. Part of a run's {@link Provenance}. Immutable.
 *
 * @param sweep the sweep's name
 * @param sweepHash 16 hex digits identifying the sweep's whole plan
 * @param cell the cell's id: 16 hex digits of SHA-256 over the canonical JSON of its resolved configuration,
 *     backends and data, the same on every machine and every run
 * @param index the cell's position in the plan (grid order), from 0
 * @param cells how many cells the sweep has
 * @param shard the shard that ran it, {@code I/N}
 * @param point the grid values of this cell, by key (e.g. {@code seed: 2, backends: [ort-cpu]})
 * @param scheduler where a batch scheduler ran it: its job variables (e.g. {@code SLURM_ARRAY_JOB_ID},
 *     {@code SLURM_ARRAY_TASK_ID}, {@code SLURMD_NODENAME}, {@code JOB_COMPLETION_INDEX}); empty outside one
 */
public record SweepCell(String sweep, String sweepHash, String cell, int index, int cells, String shard,
    Map<String, Object> point, Map<String, String> scheduler) {
  public SweepCell {
    point = point == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(point));
    scheduler = scheduler == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(scheduler));
  }
}
