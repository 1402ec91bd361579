package org.resbench.experiments.nightly;

import java.util.List;
import java.util.Map;

/**
 * What a calibration measured on one machine: the false-alarm rate of A/A comparisons (two sets of timings of the
 * same configuration) and the detection rate of a real injected slowdown, at the suite's threshold and at larger
 * ones, the threshold the nightly uses here as a result, and every set's raw samples. Immutable.
 *
 * @param date when it ran (ISO-8601)
 * @param machine host, CPU and cores, in words
 * @param host the host name
 * @param cpu the CPU model
 * @param cores the cores
 * @param target what was timed, e.g. {@code ort-cpu resnet-20 batch 128 inference}
 * @param samplesPerSet timed calls per set (rounds x iterations)
 * @param runs comparisons of each kind
 * @param slowdown the injected slowdown, a fraction
 * @param isolation {@code process} (each set in its own JVM, as nights are) or {@code in-process}
 * @param defaultThreshold the suite's threshold
 * @param falseAlarms A/A comparisons flagged (regression or improvement) at the suite's threshold
 * @param detections injected slowdowns flagged as regressions at the suite's threshold
 * @param threshold the smallest threshold whose false alarms stay within the target (at most 1 in 20): the one
 *     the nightly uses here when it is larger than the suite's
 * @param rows the rates at every threshold tried
 * @param measuredSlowdown the median over injected comparisons of the measured median shift
 * @param notes the conclusions in words
 * @param wallSeconds how long the calibration took
 * @param sets every set's raw samples (seconds), in measurement order
 */
public record CalibrationResult(String date, String machine, String host, String cpu, String cores, String target,
    int samplesPerSet, int runs, double slowdown, String isolation, double defaultThreshold, int falseAlarms,
    int detections, double threshold, List<Row> rows, double measuredSlowdown, List<String> notes, double wallSeconds,
    List<Set> sets) {

  public CalibrationResult {
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
    sets = List.copyOf(sets);
  }

  /**
   * The rates at one threshold.
   *
   * @param threshold the threshold
   * @param falseAlarms A/A comparisons flagged
   * @param aaInconclusive A/A comparisons inconclusive
   * @param detections injected slowdowns flagged as regressions
   * @param injectedInconclusive injected slowdowns inconclusive
   */
  public record Row(double threshold, int falseAlarms, int aaInconclusive, int detections, int injectedInconclusive) {}

  /**
   * One set of timings.
   *
   * @param role {@code a} and {@code b} (plain, compared A/A) or {@code slowed} (compared with the {@code b}
   *     before it)
   * @param index the comparison it belongs to
   * @param seconds the raw samples
   */
  public record Set(String role, int index, double[] seconds) {}

  /** Whether {@code environment} (as {@code EnvironmentInfo.capture()} reports it) is this calibration's machine. */
  public boolean sameMachine(Map<String, String> environment) {
    return host.equals(environment.getOrDefault("host", "unknown")) && cpu.equals(environment.get("cpu"))
        && cores.equals(environment.get("cores"));
  }
}
