package org.resbench.harness.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.resbench.harness.model.Rngs;

/**
 * Central finite differences in float64 against an analytic gradient {@code g} of an objective J over a
 * tensor {@code v}, along unit directions u: either a coordinate {@code e_i} or a dense random unit vector
 * (which probes every coordinate at once). {@code (J(v + h u) - J(v - h u)) / 2h} must match
 * {@code <g, u>} within {@code RELATIVE |<g, u>| + SCALED rms(g) + NOISE_ULPS ulp(J) / h}. The tensor is
 * changed in place and restored bit-exactly after each probe.
 *
 * <p>Error budget with h = 1e-5: truncation {@code h^2 |J'''| / 6 ~ 1e-11}, rounding of the objective
 * {@code ~ulp(J) / h ~ 1e-11 |J|}; against gradients of 1e-3..1 that is a relative error of ~1e-8..1e-6;
 * the bounds leave a margin while staying far below what a real mistake gives (a wrong or missing term
 * shows as a relative error of 1e-2..1). The rounding floor matters only where the exact gradient is 0,
 * e.g. for a bias followed by a training-mode BatchNorm, which removes any constant shift.
 *
 * <p>ReLU kinks: a probe whose steps change any ReLU's mask (the fingerprint of the pass differs at
 * {@code v +- h u}) straddles a kink, where a finite difference means nothing. It is repeated with a step
 * ten times smaller (down to 1e-7, the bound's rounding floor grows accordingly) and, if it still
 * straddles, replaced by another probe; at most a quarter of the probes may be replaced.
 */
final class FiniteDifferences {
  static final double H = 1e-5;
  static final double MIN_H = 1e-7;
  static final double RELATIVE = 1e-6;
  static final double SCALED = 1e-6;
  static final double NOISE_ULPS = 256;

  private FiniteDifferences() {}

  /** One evaluation of the objective: its value and the fingerprint of the ReLU masks that produced it. */
  record Eval(double value, long reluPattern) {}

  /** Checks every coordinate of {@code v} if {@code count >= v.length}, else {@code count} random ones. */
  static void checkCoordinates(String what, double[] v, double[] analytic, Supplier<Eval> objective, int count,
      SplittableRandom rng) {
    boolean all = count >= v.length;
    int wanted = Math.min(count, v.length);
    int[] next = {0};
    run(what + " (coordinates)", v, analytic, objective, wanted, all ? v.length : 4 * wanted, () -> {
      double[] u = new double[v.length];
      u[all ? next[0]++ : rng.nextInt(v.length)] = 1;
      return u;
    });
  }

  /** Checks {@code count} dense random unit directions (Gaussian, normalised) drawn from {@code rng}. */
  static void checkDirections(String what, double[] v, double[] analytic, Supplier<Eval> objective, int count,
      SplittableRandom rng) {
    run(what + " (random directions)", v, analytic, objective, count, 4 * count, () -> {
      double[] u = new double[v.length];
      double norm = 0;
      for (int i = 0; i < u.length; i++) {
        u[i] = Rngs.gaussian(rng);
        norm += u[i] * u[i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < u.length; i++) {
        u[i] /= norm;
      }
      return u;
    });
  }

  private static void run(String what, double[] v, double[] analytic, Supplier<Eval> objective, int wanted,
      int maxTries, Supplier<double[]> directions) {
    double rms = 0;
    for (double g : analytic) {
      rms += g * g;
    }
    rms = Math.sqrt(rms / analytic.length);
    Eval center = objective.get();
    double[] saved = v.clone();
    int done = 0;
    int replaced = 0;
    double worst = 0;
    String worstText = "every probe matched exactly";
    for (int t = 0; t < maxTries && done < wanted; t++) {
      double[] u = directions.get();
      double exact = 0;
      for (int i = 0; i < u.length; i++) {
        exact += analytic[i] * u[i];
      }
      Double fd = null;
      double h = H;
      for (; h >= MIN_H * 0.99 && fd == null; h /= 10) {
        Eval plus = evaluateAt(v, saved, u, h, objective);
        Eval minus = evaluateAt(v, saved, u, -h, objective);
        if (plus.reluPattern() == center.reluPattern() && minus.reluPattern() == center.reluPattern()) {
          fd = (plus.value() - minus.value()) / (2 * h);
          break;
        }
      }
      System.arraycopy(saved, 0, v, 0, v.length);
      if (fd == null) {
        replaced++;
        continue;
      }
      done++;
      double err = Math.abs(fd - exact);
      double bound = RELATIVE * Math.abs(exact) + SCALED * rms + NOISE_ULPS * Math.ulp(center.value()) / h;
      double ratio = err / bound;
      if (!(ratio <= worst)) {
        worst = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
        worstText = String.format(Locale.ROOT, "probe %d: finite difference %.10g (h = %.0e), analytic %.10g,"
            + " |error| %.3g, allowed %.3g (rms of the analytic gradient %.3g)", t, fd, h, exact, err, bound, rms);
      }
    }
    int checked = done;
    int skipped = replaced;
    assertTrue(checked == wanted && skipped * 4 <= checked + skipped, () -> what + ": " + skipped + " of "
        + (checked + skipped) + " probes straddle a ReLU kink even at h = " + MIN_H + "; choose another input");
    double w = worst;
    String text = worstText;
    assertTrue(w <= 1, () -> what + ": worst " + text);
  }

  private static Eval evaluateAt(double[] v, double[] saved, double[] u, double step, Supplier<Eval> objective) {
    for (int i = 0; i < v.length; i++) {
      v[i] = u[i] == 0 ? saved[i] : saved[i] + step * u[i];
    }
    return objective.get();
  }
}
