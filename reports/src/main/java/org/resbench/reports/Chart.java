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
 */
public record Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
    List<Band> bands) {

  public Chart {
    series = List.copyOf(series);
    bands = bands == null ? List.of() : List.copyOf(bands);
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

  /** The number of points over all series. */
  public int pointCount() {
    return series.stream().mapToInt(s -> s.x().length).sum();
  }
}
