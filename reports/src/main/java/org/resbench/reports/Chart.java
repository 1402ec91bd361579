package org.resbench.reports;

import java.util.List;

/**
 * What a line chart shows, independent of how it is drawn. Immutable.
 *
 * @param title the chart's title (also its caption)
 * @param xLabel x-axis label
 * @param yLabel y-axis label
 * @param logX logarithmic x axis (non-positive x values are left out)
 * @param logY logarithmic y axis (non-positive y values are left out)
 * @param series the lines
 * @param bands shaded ranges drawn behind the lines (e.g. a mean's confidence interval over seeds)
 * @param description the chart's headline in one sentence, its text alternative for readers who cannot see it
 *     (e.g. "ff-bn correlation falls from 0.93 at depth 1 to 0.00 at depth 50"); null for the one
 *     {@link #headline()} derives from the series
 */
public record Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
    List<Band> bands, String description) {

  public Chart {
    series = List.copyOf(series);
    bands = bands == null ? List.of() : List.copyOf(bands);
    description = description == null || description.isBlank() ? null : description.strip();
  }

  /** A chart of lines and bands, described by its series. */
  public Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
      List<Band> bands) {
    this(title, xLabel, yLabel, logX, logY, series, bands, null);
  }

  /** A chart of lines only. */
  public Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
    this(title, xLabel, yLabel, logX, logY, series, List.of());
  }

  /**
   * A shaded range between {@code lower} and {@code upper} at each x, in palette colour {@code colour} (match it
   * to the series it belongs to), not shown in the legend.
   */
  public record Band(String name, double[] x, double[] lower, double[] upper, int colour) {
    public Band {
      if (x.length != lower.length || x.length != upper.length) {
        throw new IllegalArgumentException("band '" + name + "': " + x.length + " x, " + lower.length + " lower and "
            + upper.length + " upper values; allowed: equal lengths");
      }
    }
  }

  /**
   * One line.
   *
   * @param style how it is drawn
   * @param colour palette index, or -1 for the series' position
   */
  public record Series(String name, double[] x, double[] y, Style style, int colour) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length
            + " y values; allowed: equal lengths");
      }
    }

    /** A series coloured by its position in the chart. */
    public Series(String name, double[] x, double[] y, Style style) {
      this(name, x, y, style, -1);
    }

    /** The same series drawn in palette colour {@code c} (to pair, e.g., data points with their fit). */
    public Series withColour(int c) {
      return new Series(name, x, y, style, c);
    }

    public static Series line(String name, double[] x, double[] y) {
      return new Series(name, x, y, Style.LINE);
    }

    /** x = 0, 1, 2, ... */
    public static Series line(String name, double[] y) {
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
      }
      return new Series(name, x, y, Style.LINE);
    }
  }

  /** How a series is drawn. */
  public enum Style {
    LINE, POINTS, LINE_AND_POINTS, DASHED
  }

  /** This chart with {@code sentence} as its headline (its text alternative). */
  public Chart withDescription(String sentence) {
    return new Chart(title, xLabel, yLabel, logX, logY, series, bands, sentence);
  }

  /** Series described at most in the derived headline; more are summarised by their count. */
  static final int DESCRIBED_SERIES = 4;

  /**
   * The text alternative: the {@link #description} when given, else one derived from the series: where each of the
   * first few starts and ends (e.g. "depth 50: falls from 0.93 at depth 1 to 0.0012 at depth 50"), so a reader who
   * cannot see the chart still gets its gist.
   */
  public String headline() {
    if (description != null) {
      return description;
    }
    List<String> parts = new java.util.ArrayList<>();
    for (Series s : series.subList(0, Math.min(DESCRIBED_SERIES, series.size()))) {
      int first = -1;
      int last = -1;
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          first = first < 0 ? i : first;
          last = i;
        }
      }
      if (first < 0) {
        parts.add(s.name() + ": no finite values");
        continue;
      }
      double y0 = s.y()[first];
      double y1 = s.y()[last];
      String x = xLabel == null || xLabel.isBlank() ? "x" : xLabel;
      String trend = first == last ? "one value, " + Fmt.num(y0) + " at " + x + " " + coordinate(s.x()[first])
          : (y1 > y0 ? "rises" : y1 < y0 ? "falls" : "stays") + " from " + Fmt.num(y0) + " at " + x + " "
          + coordinate(s.x()[first]) + " to " + Fmt.num(y1) + " at " + coordinate(s.x()[last]);
      parts.add(s.name() + ": " + trend);
    }
    if (series.size() > DESCRIBED_SERIES) {
      parts.add("and " + (series.size() - DESCRIBED_SERIES) + " more series");
    }
    if (parts.isEmpty()) {
      return "No data.";
    }
    return (yLabel == null || yLabel.isBlank() ? "" : yLabel + ". ") + String.join("; ", parts) + ".";
  }

  /** An x value as a reader says it: whole numbers (steps, depths) without decimals. */
  private static String coordinate(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Fmt.num(v);
  }

  /** The number of points over all series. */
  public int pointCount() {
    return series.stream().mapToInt(s -> s.x().length).sum();
  }
}
