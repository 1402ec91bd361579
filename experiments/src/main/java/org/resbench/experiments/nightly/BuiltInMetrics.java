package org.resbench.experiments.nightly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.experiments.parity.ParityData;
import org.resbench.experiments.shattered.ShatteredGradientsData;
import org.resbench.results.RunRecord;
import org.resbench.results.compare.Direction;
import org.resbench.results.compare.NumericRule;

/**
 * The nightly figures of the experiments that do not provide their own ({@link NightlyMetrics}), with their
 * stated tolerances. Stateless.
 *
 * <ul>
 *   <li>parity: per backend and quantity, the worst error / bound over every spec and scenario; lower is better;
 *       it must stay at most 1 (the conformance bound), and may move by 0.1 + 1 x its baseline (a factor of two,
 *       plus a tenth of the bound) before it counts as worse: float32 rounding errors move by such factors when
 *       an engine reorders a sum, and the bound itself is the hard line;
 *   <li>shattered-gradients: per backend, family and depth, the correlation of neighbouring gradients (within
 *       0.01: float32 backends differ from the float64 reference by about 1e-4, while the effect the experiment
 *       reproduces moves it by tenths), and per backend and family the fitted exponential rate and power-law
 *       exponent (within 0.02).
 * </ul>
 */
public final class BuiltInMetrics {
  private BuiltInMetrics() {}

  /** The parity rule: lower is better, at most 1, within 0.1 + 1 x baseline. */
  public static final NumericRule PARITY = new NumericRule(Direction.LOWER_IS_BETTER, 0.1, 1.0, 1.0);
  /** A neighbour-gradient correlation: stable within 0.01. */
  public static final NumericRule CORRELATION = new NumericRule(Direction.STABLE, 0.01, 0, Double.NaN);
  /** A fitted decay rate or exponent: stable within 0.02. */
  public static final NumericRule RATE = new NumericRule(Direction.STABLE, 0.02, 0, Double.NaN);

  private static final Map<String, NightlyMetrics> BUILT_IN = Map.of(
      "parity", BuiltInMetrics::parity,
      "shattered-gradients", BuiltInMetrics::shattered);

  /** The metrics of {@code experiment}: its plug-in's own, else a built-in one, else none. */
  public static Optional<NightlyMetrics> of(String experiment) {
    ExperimentPlugin<?, ?> plugin = ExperimentCatalog.plugin(experiment);
    if (plugin instanceof NightlyMetrics own) {
      return Optional.of(own);
    }
    return Optional.ofNullable(BUILT_IN.get(experiment));
  }

  static List<MetricValue> parity(RunRecord run) {
    if (!(run.data() instanceof ParityData d)) {
      return List.of();
    }
    Map<String, ParityData.Check> worst = new LinkedHashMap<>();
    for (ParityData.Check c : d.checks()) {
      String key = "parity/" + c.backend() + "/" + c.quantity();
      ParityData.Check w = worst.get(key);
      if (w == null || c.worstRatio() > w.worstRatio() || Double.isNaN(c.worstRatio())) {
        worst.put(key, c);
      }
    }
    List<MetricValue> out = new ArrayList<>();
    worst.forEach((key, c) -> out.add(MetricValue.numeric(key, "parity " + c.backend() + ": " + c.quantity()
        + ", worst error / bound over " + d.specs().size() + " specs (now at " + c.spec() + ", " + c.scenario() + ")",
        "error/bound", PARITY, c.worstRatio())));
    return out;
  }

  static List<MetricValue> shattered(RunRecord run) {
    if (!(run.data() instanceof ShatteredGradientsData d)) {
      return List.of();
    }
    List<MetricValue> out = new ArrayList<>();
    if (d.mlp() != null) {
      curves(out, "", d.mlp().curves(), d.mlp().spreads(), d.mlp().fits());
    }
    if (d.conv() != null) {
      curves(out, "conv-", d.conv().curves(), d.conv().spreads(), d.conv().fits());
    }
    return out;
  }

  /** Per (backend, family, depth): the mean over seeds where the run recorded one, else the (only) curve's. */
  private static MetricValue correlation(String prefix, String backend, String family, int depth, double r,
      String note) {
    return MetricValue.numeric("shattered/" + backend + "/" + prefix + family + "/L" + depth
        + "/neighbour-correlation", "shattered-gradients " + backend + " " + prefix + family + " depth " + depth
        + ": correlation of neighbouring gradients" + note, "r", CORRELATION, r);
  }

  private static void curves(List<MetricValue> out, String prefix, List<ShatteredGradientsData.GradientCurve> curves,
      List<ShatteredGradientsData.DepthSpread> spreads, List<ShatteredGradientsData.DepthFit> fits) {
    if (!spreads.isEmpty()) {
      for (ShatteredGradientsData.DepthSpread s : spreads) {
        out.add(correlation(prefix, s.backend(), s.family(), s.depth(), s.mean(), s.seeds() == 1 ? ""
            : " (mean over " + s.seeds() + " seeds)"));
      }
    } else {
      Map<String, Boolean> seen = new LinkedHashMap<>();
      for (ShatteredGradientsData.GradientCurve c : curves) {
        if (seen.putIfAbsent(c.backend() + "/" + c.family() + "/" + c.depth(), true) == null) {
          out.add(correlation(prefix, c.backend(), c.family(), c.depth(), c.neighbourCorrelation(), ""));
        }
      }
    }
    for (ShatteredGradientsData.DepthFit f : fits) {
      String base = "shattered/" + f.backend() + "/" + prefix + f.family();
      out.add(MetricValue.numeric(base + "/exponential-rate", "shattered-gradients " + f.backend() + " " + prefix
          + f.family() + ": fitted b of a*b^L", "b", RATE, f.exponential().rate()));
      out.add(MetricValue.numeric(base + "/power-exponent", "shattered-gradients " + f.backend() + " " + prefix
          + f.family() + ": fitted c of a*L^-c", "c", RATE, f.powerLaw().rate()));
    }
  }
}
