package org.resbench.experiments.nightly;

import java.util.List;
import java.util.Map;
import org.resbench.results.ExperimentData;
import org.resbench.results.compare.Direction;
import org.resbench.results.compare.Outcome;
import org.resbench.results.compare.Verdict;

/**
 * One night (the {@code nightly} record type): every metric of the suite with its raw samples, its comparison
 * with the baseline and its verdict, the suite's runs (by id, stored beside it in the history), and each metric's
 * recent history for the trend charts (copied in, so the report reads only this record). Immutable.
 *
 * @param suite the suite's name
 * @param suiteHash the hash of the suite as run
 * @param baseline which run was the baseline and why
 * @param timingThreshold the effect-size threshold timings were judged by (a fraction)
 * @param thresholdSource where that threshold came from (the suite, or this machine's calibration)
 * @param items what the suite ran
 * @param metrics every metric, in suite order
 * @param trends each metric's last nights, oldest first, this night last
 */
public record NightlyData(String suite, String suiteHash, Baseline baseline, double timingThreshold,
    String thresholdSource, List<Item> items, List<Metric> metrics, List<Trend> trends) implements ExperimentData {

  public NightlyData {
    items = List.copyOf(items);
    metrics = List.copyOf(metrics);
    trends = List.copyOf(trends);
  }

  /**
   * The baseline.
   *
   * @param mode latest-green, pinned NAME, or run
   * @param runId the baseline run, or null when there was none (every metric is then inconclusive)
   * @param start when it ran
   * @param why how it was chosen, in words
   */
  public record Baseline(String mode, String runId, String start, String why) {}

  /**
   * One item of the suite.
   *
   * @param name e.g. {@code bench ort-cpu resnet-20 b128} or {@code parity}
   * @param runId its run record in the history, or null (bench items store their samples here)
   * @param status PASSED, FAILED, INCOMPLETE, or ERROR when it could not run
   * @param note why it did not pass, or empty
   */
  public record Item(String name, String runId, String status, String note) {}

  /**
   * One metric and its verdict.
   *
   * @param key its stable name
   * @param label what it is
   * @param unit its unit
   * @param kind timing or numeric
   * @param direction which way is better
   * @param value this night's value (a timing's median)
   * @param samples a timing's raw samples (seconds)
   * @param source the item (and run) it comes from
   * @param outcome the comparison with the baseline
   * @param bandLower the lower edge of the baseline's band (within it: unchanged), NaN without a baseline
   * @param bandUpper its upper edge
   */
  public record Metric(String key, String label, String unit, String kind, Direction direction, double value,
      double[] samples, String source, Outcome outcome, double bandLower, double bandUpper) {
    /** The verdict. */
    public Verdict verdict() {
      return outcome.verdict();
    }
  }

  /**
   * A metric over the last nights.
   *
   * @param key the metric
   * @param nights oldest first; the last is this night
   */
  public record Trend(String key, List<Night> nights) {
    public Trend {
      nights = List.copyOf(nights);
    }
  }

  /**
   * One night's value of a metric.
   *
   * @param runId the nightly run
   * @param start when it ran
   * @param value the value (a timing's median)
   * @param lower a timing's 10th percentile (else the value)
   * @param upper a timing's 90th percentile (else the value)
   */
  public record Night(String runId, String start, double value, double lower, double upper) {}

  /** How many metrics got each verdict. */
  public Map<Verdict, Long> counts() {
    Map<Verdict, Long> m = new java.util.EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      m.put(v, metrics.stream().filter(x -> x.verdict() == v).count());
    }
    return m;
  }

  /** Whether any metric regressed. */
  public boolean regressed() {
    return metrics.stream().anyMatch(m -> m.verdict() == Verdict.REGRESSION);
  }

  /** The metric with this key, or null. */
  public Metric metric(String key) {
    return metrics.stream().filter(m -> m.key().equals(key)).findFirst().orElse(null);
  }
}
