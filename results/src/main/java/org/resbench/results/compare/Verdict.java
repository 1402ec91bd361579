package org.resbench.results.compare;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What a comparison with the baseline concluded about one metric. Written to JSON by its lower-case label. */
public enum Verdict {
  /** Worse than the baseline beyond the metric's threshold or tolerance, or beyond its hard limit. */
  REGRESSION,
  /** Better than the baseline beyond the threshold or tolerance. */
  IMPROVEMENT,
  /** Within the threshold or tolerance of the baseline. */
  UNCHANGED,
  /** No conclusion: too few samples, too noisy, or no baseline (the outcome's reason says which). */
  INCONCLUSIVE;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The verdict with this label. */
  @JsonCreator
  public static Verdict of(String label) {
    return Arrays.stream(values()).filter(v -> v.label().equals(label)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("verdict '" + label + "'; allowed: regression, improvement, unchanged,"
            + " inconclusive"));
  }
}
