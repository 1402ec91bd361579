package org.resbench.experiments.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Locale;

/**
 * How long a warm-up or measurement phase runs: at least {@code calls} calls and at least {@code seconds} seconds
 * (so by count, by duration, or both: with {@code calls = 0} the duration alone decides). Immutable; validated at
 * construction.
 *
 * @param calls the fewest calls (0 or more)
 * @param seconds the shortest duration in seconds (0 or more, finite)
 */
public record Phase(int calls, double seconds) {
  /** No calls at all (a warm-up that is skipped). */
  public static final Phase NONE = new Phase(0, 0);

  public Phase {
    if (calls < 0 || !(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "phase calls=%d, seconds=%s; allowed: calls >= 0"
          + " and a finite seconds >= 0 (the phase runs until both are reached)", calls, seconds));
    }
  }

  /** Exactly {@code n} calls. */
  public static Phase calls(int n) {
    return new Phase(n, 0);
  }

  /** Whether a phase that has made {@code done} calls in {@code elapsedSeconds} is over. */
  public boolean over(int done, double elapsedSeconds) {
    return done >= calls && elapsedSeconds >= seconds;
  }

  /** Whether the phase makes any call. */
  @JsonIgnore
  public boolean isEmpty() {
    return calls == 0 && seconds == 0;
  }

  /**
   * Throws unless this phase measures something (at least one call or a duration), naming it {@code what} in the
   * message; returns this.
   */
  public Phase requireMeasuring(String what) {
    if (isEmpty()) {
      throw new IllegalArgumentException(what + ": calls=0, seconds=0; allowed: calls >= 1 or seconds > 0 (a"
          + " measurement needs at least one call)");
    }
    return this;
  }

  @Override
  public String toString() {
    String time = String.format(Locale.ROOT, "%.3g s", seconds);
    return seconds == 0 ? calls + " calls" : calls == 0 ? time : calls + " calls and " + time;
  }
}
