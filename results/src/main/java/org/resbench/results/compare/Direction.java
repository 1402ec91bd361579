package org.resbench.results.compare;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Which way a metric gets better. Written to JSON by its label. */
public enum Direction {
  /** Smaller is better (times, errors). */
  LOWER_IS_BETTER("lower"),
  /** Larger is better (accuracy). */
  HIGHER_IS_BETTER("higher"),
  /** Neither: the figure should stay where it is (a correlation the experiment reproduces); any change beyond
   * the tolerance is a regression. */
  STABLE("stable");

  private final String label;

  Direction(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** The direction with this label ({@code lower}, {@code higher}, {@code stable}). */
  @JsonCreator
  public static Direction of(String label) {
    return Arrays.stream(values()).filter(d -> d.label.equals(label.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("direction '" + label + "'; allowed: lower, higher, stable"));
  }
}
