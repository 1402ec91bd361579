package org.resbench.experiments.throughput;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.resbench.results.ExperimentData;

/**
 * The {@code throughput} experiment's results: every timed call of every (spec, backend, batch, threads, measure),
 * the engines' matrix-product peaks measured in the same run, and the summaries derived from them. Immutable.
 *
 * @param level the confidence level of every interval (0.95)
 * @param specs the specs measured (canonical names), in order
 * @param backends the backends measured, in order (the first is the base of the ratios between backends)
 * @param batches the batch sizes
 * @param threads the thread counts of the groups, as run (0 is resolved to the core count)
 * @param cores the cores the JVM could use
 * @param peaks every peak measurement, per (backend, threads, size, before or after the group's rows)
 * @param rows one per (spec, backend, batch, threads, measure)
 * @param groups one per (threads, spec): its wall time, memory peak, and what was skipped or failed
 * @param notes what the reader should know: backends left out and why, probes missing
 */
public record ThroughputData(double level, List<String> specs, List<String> backends, List<Integer> batches,
    List<Integer> threads, int cores, List<Peak> peaks, List<Row> rows, List<Group> groups, List<String> notes)
    implements ExperimentData {

  public ThroughputData {
    specs = List.copyOf(specs);
    backends = List.copyOf(backends);
    batches = List.copyOf(batches);
    threads = List.copyOf(threads);
    peaks = List.copyOf(peaks);
    rows = List.copyOf(rows);
    groups = List.copyOf(groups);
    notes = List.copyOf(notes);
  }

  /**
   * A timed run of one engine's matrix product {@code C = A B} (n x n operands).
   *
   * @param when {@code before} or {@code after} the rows of its thread count were measured
   * @param seconds every timed call
   * @param gflops {@code 2 n^3 / mean(t)}, with its interval {@code [gflopsLow, gflopsHigh]}
   */
  public record Peak(String backend, int threads, int size, String when, String description, double flopsPerCall,
      double[] seconds, double gflops, double gflopsLow, double gflopsHigh) {}

  /**
   * One measured (spec, backend, batch, threads, measure).
   *
   * @param measure {@code inference} (the harness path), {@code bare-inference} (the engine's own loop) or
   *     {@code train-step}
   * @param macsPerExample multiply-accumulates per example of the forward pass
   * @param flopsPerCall the cost model's floating-point operations per call (2 per MAC for inference, 6 for a step)
   * @param openSeconds creating the session the measure runs on
   * @param coldSeconds its first call, before any warm-up (not among {@code seconds})
   * @param seconds every timed call, in order
   * @param p50 latency quantiles and maximum of {@code seconds}
   * @param imagesPerSecond {@code batch / mean(t)} with its interval {@code [imagesPerSecondLow, imagesPerSecondHigh]}
   * @param gflops achieved GFLOP/s at that rate
   * @param peakGflops the best peak of this backend at this thread count, or null when none was measured
   * @param rooflineFraction {@code gflops / peakGflops}, or null
   * @param overBare for inference: the median of the call-by-call ratios harness / bare loop (ABBA pairs) with its
   *     distribution-free interval; null without a bare loop
   * @param rssBeforeBytes resident memory before the row's sessions were opened (-1: unknown)
   * @param peakRssBytes peak resident memory over opening them, their first calls and warm-up (-1: unknown)
   * @param peakRssReset whether that peak was reset first (else it is the process's peak so far)
   */
  public record Row(String spec, String backend, int batch, int threads, String measure, long macsPerExample,
      double flopsPerCall, double openSeconds, double coldSeconds, double[] seconds, double p50, double p90,
      double p99, double max, double imagesPerSecond, double imagesPerSecondLow, double imagesPerSecondHigh,
      double gflops, Double peakGflops, Double rooflineFraction, Double overBare, Double overBareLow,
      Double overBareHigh, long rssBeforeBytes, long peakRssBytes, boolean peakRssReset) {}

  /**
   * One group of interleaved measurements: a spec at a thread count.
   *
   * @param seconds its wall time, set-up included
   * @param peakRssBytes the process's peak resident memory at its end (-1: unknown)
   * @param skipped backends or measures not run, with the reason
   * @param failures backends that failed, with the engine's message
   */
  public record Group(String spec, int threads, double seconds, long peakRssBytes, List<String> skipped,
      List<String> failures) {
    public Group {
      skipped = List.copyOf(skipped);
      failures = List.copyOf(failures);
    }
  }

  /** The row of (spec, backend, batch, threads, measure), if measured. */
  public Optional<Row> row(String spec, String backend, int batch, int threads, String measure) {
    return rows.stream().filter(r -> r.spec().equals(spec) && r.backend().equals(backend) && r.batch() == batch
        && r.threads() == threads && r.measure().equals(measure)).findFirst();
  }

  /** The highest peak of {@code backend} at {@code threads}, before or after, over every size. */
  public Optional<Peak> bestPeak(String backend, int threads) {
    return bestPeak(peaks, backend, threads);
  }

  /** The highest of {@code peaks} for {@code backend} at {@code threads}. */
  public static Optional<Peak> bestPeak(List<Peak> peaks, String backend, int threads) {
    return peaks.stream().filter(p -> p.backend().equals(backend) && p.threads() == threads)
        .max(Comparator.comparingDouble(Peak::gflops));
  }

  /** Whether any group recorded a failure. */
  public boolean anyFailure() {
    return groups.stream().anyMatch(g -> !g.failures().isEmpty());
  }
}
