package org.resbench.experiments.sweep;

import java.util.List;
import java.util.Map;
import org.resbench.results.ExperimentData;

/**
 * The summary of a merged sweep (the {@code sweep} record type): which cells it has, where each ran and how it
 * ended, with the cells' own run records beside it in the same run set. Immutable.
 *
 * @param sweep the sweep's name
 * @param sweepHash its plan's hash
 * @param experiment the experiment every cell ran
 * @param cellCount how many cells the plan has
 * @param gridKeys the grid's keys, in file order
 * @param shards the shard folders merged
 * @param cells one entry per recorded cell, in plan order
 * @param missing the plan positions of cells not recorded (a partial merge)
 */
public record SweepData(String sweep, String sweepHash, String experiment, int cellCount, List<String> gridKeys,
    List<String> shards, List<Entry> cells, List<Integer> missing) implements ExperimentData {

  public SweepData {
    gridKeys = List.copyOf(gridKeys);
    shards = List.copyOf(shards);
    cells = List.copyOf(cells);
    missing = List.copyOf(missing);
  }

  /**
   * One cell's run.
   *
   * @param index its position in the plan
   * @param cell its id
   * @param runId its run record's id (the report's anchor)
   * @param point its grid values
   * @param status how its run ended
   * @param shard the shard that ran it ({@code I/N})
   * @param where the host, and the scheduler's job and task when one ran it
   * @param seconds the run's wall time
   */
  public record Entry(int index, String cell, String runId, Map<String, Object> point, String status, String shard,
      String where, double seconds) {}
}
