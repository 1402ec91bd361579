package org.resbench.experiments.training;

import static j2html.TagCreator.each;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.results.stats.Interval;
import org.resbench.results.training.TrainingHistory;

/**
 * The charts and tables every training experiment's report shows, built from stored {@link TrainedRun}s:
 * curves per group (a backend, a depth, a cardinality), the mean over seeds as a line and, with two or more
 * seeds, the 95% Student-t interval of the mean as a band. Stateless.
 */
public final class TrainingCharts {
  private TrainingCharts() {}

  /** What a curve chart plots per run. */
  public enum Curve {
    /** The per-step loss, as a running mean over 1% of the run. */
    LOSS("loss (running mean, 1% of steps)"),
    /** The batch training error averaged between evaluations, percent. */
    TRAIN_ERROR("training error %"),
    /** The validation error at each evaluation, percent. */
    VALIDATION_ERROR("validation error %");

    private final String axis;

    Curve(String axis) {
      this.axis = axis;
    }
  }

  /** Runs grouped by {@code key}, groups in first-seen order. */
  public static Map<String, List<TrainedRun>> groups(List<TrainedRun> runs, Function<TrainedRun, String> key) {
    Map<String, List<TrainedRun>> g = new LinkedHashMap<>();
    for (TrainedRun r : runs) {
      g.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
    }
    return g;
  }

  /** One line per group (mean over its runs) with its band, over steps. */
  public static Chart curves(String title, List<TrainedRun> runs, Function<TrainedRun, String> key, Curve curve,
      boolean logY) {
    List<Chart.Series> series = new ArrayList<>();
    List<Chart.Band> bands = new ArrayList<>();
    int colour = 0;
    for (Map.Entry<String, List<TrainedRun>> g : groups(runs, key).entrySet()) {
      double[][] ys = g.getValue().stream().map(r -> values(r.history(), curve)).toArray(double[][]::new);
      double[] x = steps(g.getValue().get(0).history(), curve);
      int n = ys.length == 0 ? 0 : java.util.Arrays.stream(ys).mapToInt(a -> a.length).min().orElse(0);
      n = Math.min(n, x.length);
      double[] mean = new double[n];
      double[] lo = new double[n];
      double[] hi = new double[n];
      for (int i = 0; i < n; i++) {
        double[] at = new double[ys.length];
        for (int k = 0; k < ys.length; k++) {
          at[k] = ys[k][i];
        }
        Interval ci = Interval.ofMean(at, 0.95);
        mean[i] = ci.mean();
        // An error rate's interval is drawn within what the rate can be (two seeds give very wide intervals).
        lo[i] = curve == Curve.LOSS ? ci.lower() : Math.max(0, ci.lower());
        hi[i] = curve == Curve.LOSS ? ci.upper() : Math.min(100, ci.upper());
      }
      double[] xs = java.util.Arrays.copyOf(x, n);
      String label = g.getKey() + (ys.length > 1 ? " (mean of " + ys.length + ")" : "");
      series.add(new Chart.Series(label, xs, mean, Chart.Style.LINE).withColour(colour));
      if (ys.length > 1) {
        bands.add(new Chart.Band(g.getKey() + " 95% interval", xs, lo, hi, colour));
      }
      colour++;
    }
    return new Chart(title, "step", curve.axis, false, logY, series, bands);
  }

  /**
   * The final numbers per group: test error as mean ± 95% half-width over seeds (n), the last training error,
   * images per second, and how the runs ended.
   */
  public static DomContent finalTable(List<TrainedRun> runs, Function<TrainedRun, String> key, String groupHeader) {
    List<DomContent> rows = new ArrayList<>();
    for (Map.Entry<String, List<TrainedRun>> g : groups(runs, key).entrySet()) {
      List<TrainedRun> rs = g.getValue();
      rows.add(tr(td(g.getKey()).withClass("l"), td(meanPlusMinus(rs.stream().filter(r -> r.testErrorPercent() != null)
          .mapToDouble(TrainedRun::testErrorPercent).toArray())), td(meanPlusMinus(rs.stream()
          .mapToDouble(TrainedRun::finalTrainErrorPercent).filter(Double::isFinite).toArray())),
          td(Fmt.num(rs.stream().mapToDouble(TrainedRun::imagesPerSecond).filter(Double::isFinite).average()
              .orElse(Double.NaN))),
          td(String.join(", ", rs.stream().map(r -> r.status() + (r.resumedAt().isEmpty() ? "" : " (resumed)"))
              .distinct().toList())).withClass("l")));
    }
    return table(thead(tr(th(groupHeader).withClass("l"), th("test error %"), th("final training error %"),
        th("train img/s"), th("runs").withClass("l"))), tbody(each(rows, r -> r)));
  }

  /**
   * For a report's summary: per group, the test error as mean ± 95% half-width over seeds and how the runs ended
   * (a verdict: every run completed), and whether all runs of a group ended with identical weights.
   */
  public static List<org.resbench.reports.Headline> headlines(List<TrainedRun> runs, Function<TrainedRun, String> key) {
    List<org.resbench.reports.Headline> out = new ArrayList<>();
    for (Map.Entry<String, List<TrainedRun>> g : groups(runs, key).entrySet()) {
      List<TrainedRun> rs = g.getValue();
      boolean completed = rs.stream().allMatch(r -> TrainedRun.COMPLETED.equals(r.status()));
      String ended = String.join(", ", rs.stream().map(TrainedRun::status).distinct().toList());
      out.add(org.resbench.reports.Headline.verdict(g.getKey(), "test error " + meanPlusMinus(rs.stream()
          .filter(r -> r.testErrorPercent() != null).mapToDouble(TrainedRun::testErrorPercent).toArray()) + " %, "
          + rs.size() + " run" + (rs.size() == 1 ? "" : "s") + " " + ended, completed));
    }
    return out;
  }

  /** Every run: cell, seed, steps, test error, weights hash (short), checkpoint; for the folded details. */
  public static DomContent runTable(List<TrainedRun> runs) {
    return table(thead(tr(th("cell").withClass("l"), th("spec").withClass("l"), th("backend").withClass("l"),
        th("seed"), th("steps"), th("test error %"), th("median s/step"), th("status").withClass("l"),
        th("weights sha256").withClass("l"), th("checkpoint").withClass("l"))),
        tbody(each(runs, r -> tr(td(r.cell()).withClass("l"), td(r.spec()).withClass("l"),
            td(r.backend()).withClass("l"), td(String.valueOf(r.seed())), td(r.history().steps() + "/"
                + r.totalSteps()), td(r.testErrorPercent() == null ? "-" : Fmt.fixed(r.testErrorPercent(), 2)),
            td(Fmt.num(r.medianStepSeconds())), td(r.status() + (r.reason() == null ? "" : ": " + r.reason())
                + (r.resumedAt().isEmpty() ? "" : "; resumed at step " + r.resumedAt())).withClass("l"),
            td(r.weightsHash() == null ? "-" : r.weightsHash().substring(0, 16)).withClass("l"),
            td(r.checkpoint() == null ? "-" : r.checkpoint()).withClass("l")))));
  }

  /** {@code mean ± half-width (n=k)} of a 95% Student-t interval, or the value alone for one. */
  public static String meanPlusMinus(double[] values) {
    if (values.length == 0) {
      return "-";
    }
    Interval ci = Interval.ofMean(values, 0.95);
    return values.length == 1 ? Fmt.fixed(ci.mean(), 2) : Fmt.fixed(ci.mean(), 2) + " ± " + Fmt.fixed(ci.halfWidth(),
        2) + " (n=" + values.length + ")";
  }

  private static double[] values(TrainingHistory h, Curve c) {
    return switch (c) {
      case LOSS -> runningMean(h.loss(), Math.max(1, h.steps() / 100));
      case TRAIN_ERROR -> h.evaluations().stream().mapToDouble(TrainingHistory.Evaluation::trainErrorPercent)
          .toArray();
      case VALIDATION_ERROR -> h.evaluations().stream().mapToDouble(TrainingHistory.Evaluation::errorPercent)
          .toArray();
    };
  }

  private static double[] steps(TrainingHistory h, Curve c) {
    if (c == Curve.LOSS) {
      double[] x = new double[h.steps()];
      for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
      }
      return x;
    }
    return h.evaluations().stream().mapToDouble(TrainingHistory.Evaluation::step).toArray();
  }

  /** The mean of the last {@code window} values at each step (fewer at the start). */
  static double[] runningMean(float[] v, int window) {
    double[] out = new double[v.length];
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += v[i];
      if (i >= window) {
        s -= v[i - window];
      }
      out[i] = s / Math.min(i + 1, window);
    }
    return out;
  }
}
