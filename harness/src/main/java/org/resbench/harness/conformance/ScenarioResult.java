package org.resbench.harness.conformance;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one {@link Scenario} on one spec and backend gave: the comparisons with the reference, or why it was
 * skipped. Immutable.
 *
 * @param scenario what ran
 * @param spec the spec's name
 * @param backend the compared backend's name
 * @param comparisons one per quantity, empty when skipped
 * @param reluMargin the reference's smallest ReLU margin over the scenario's passes (see
 *     {@link Tolerances#RELU_MARGIN}); NaN when skipped
 * @param inputAttempt which seeded input candidate was used ({@link ConformanceFixtures#batch})
 * @param skipReason why the scenario did not run (missing capability, not applicable), or null
 */
public record ScenarioResult(Scenario scenario, String spec, String backend, List<Comparison> comparisons,
    double reluMargin, int inputAttempt, String skipReason) {

  public ScenarioResult {
    comparisons = List.copyOf(comparisons);
  }

  static ScenarioResult skipped(Scenario scenario, String spec, String backend, String reason) {
    return new ScenarioResult(scenario, spec, backend, List.of(), Double.NaN, -1, reason);
  }

  public boolean skipped() {
    return skipReason != null;
  }

  /** Not skipped and every comparison passed. */
  public boolean passed() {
    return !skipped() && comparisons.stream().allMatch(Comparison::passed);
  }

  /** Whether the reference kept every ReLU input at a safe distance from its kink on the inputs used. */
  public boolean marginSafe() {
    return reluMargin >= Tolerances.RELU_MARGIN;
  }

  /** What the suite prints on failure: the setting, then every comparison (failed tensors in detail). */
  public String describe() {
    if (skipped()) {
      return scenario.description() + " on " + spec + " (" + backend + "): skipped: " + skipReason;
    }
    String margin = marginSafe() ? "" : String.format(Locale.ROOT, "\nwarning: the reference's smallest ReLU margin"
        + " on these inputs is %.2g < %.0g, so a float32 engine may legitimately flip a ReLU mask", reluMargin,
        Tolerances.RELU_MARGIN);
    return String.format(Locale.ROOT, "%s on %s: %s vs reference: %s (input candidate %d, ReLU margin %.2g)%s\n%s",
        scenario.description(), spec, backend, passed() ? "ok" : "FAILED", inputAttempt, reluMargin, margin,
        comparisons.stream().map(Comparison::describe).collect(Collectors.joining("\n")));
  }
}
