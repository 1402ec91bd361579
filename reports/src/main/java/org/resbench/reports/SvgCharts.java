package org.resbench.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** Draws {@link Chart}s as inline SVG with JFreeChart. Stateless and thread-safe. */
public final class SvgCharts {
  private SvgCharts() {}

  /** A palette that stays distinguishable for colour-blind readers (Okabe-Ito). */
  private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
      new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};

  /**
   * The chart as an {@code <svg>} element.
   *
   * @param idPrefix prefix of the SVG's internal ids, unique within the page (charts share one document)
   */
  public static String render(Chart chart, int width, int height, String idPrefix) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Chart.Series s : chart.series()) {
      XYSeries xy = new XYSeries(s.name(), false, true);
      double[][] xs = thin(s.x(), s.y());
      for (int i = 0; i < xs[0].length; i++) {
        double x = xs[0][i];
        double y = xs[1][i];
        if (!Double.isFinite(x) || !Double.isFinite(y) || (chart.logX() && x <= 0) || (chart.logY() && y <= 0)) {
          continue;
        }
        xy.add(x, y);
      }
      data.addSeries(xy);
    }
    NumberAxis xAxis = chart.logX() ? null : new NumberAxis(chart.xLabel());
    NumberAxis yAxis = chart.logY() ? null : new NumberAxis(chart.yLabel());
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    for (int i = 0; i < chart.series().size(); i++) {
      Chart.Series s = chart.series().get(i);
      Color c = PALETTE[(s.colour() >= 0 ? s.colour() : i) % PALETTE.length];
      renderer.setSeriesPaint(i, c);
      boolean lines = s.style() != Chart.Style.POINTS;
      boolean shapes = s.style() == Chart.Style.POINTS || s.style() == Chart.Style.LINE_AND_POINTS;
      renderer.setSeriesLinesVisible(i, lines);
      renderer.setSeriesShapesVisible(i, shapes);
      renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      renderer.setSeriesStroke(i, s.style() == Chart.Style.DASHED
          ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(1.5f));
    }
    XYPlot plot = new XYPlot(data, chart.logX() ? logAxis(chart.xLabel()) : xAxis,
        chart.logY() ? logAxis(chart.yLabel()) : yAxis, renderer);
    if (!chart.bands().isEmpty()) {
      YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
      DeviationRenderer shade = new DeviationRenderer(false, false);
      for (int b = 0; b < chart.bands().size(); b++) {
        Chart.Band band = chart.bands().get(b);
        YIntervalSeries ys = new YIntervalSeries(band.name(), false, true);
        double[][] lo = thin(band.x(), band.lower());
        double[][] hi = thin(band.x(), band.upper());
        for (int i = 0; i < lo[0].length; i++) {
          double x = lo[0][i];
          double l = lo[1][i];
          double u = hi[1][i];
          if (!Double.isFinite(x) || !Double.isFinite(l) || !Double.isFinite(u) || (chart.logX() && x <= 0)
              || (chart.logY() && l <= 0)) {
            continue;
          }
          ys.add(x, (l + u) / 2, l, u);
        }
        bands.addSeries(ys);
        Color c = PALETTE[Math.max(0, band.colour()) % PALETTE.length];
        shade.setSeriesFillPaint(b, c);
        shade.setSeriesPaint(b, c);
        shade.setSeriesVisibleInLegend(b, false);
      }
      shade.setAlpha(0.18f);
      plot.setDataset(1, bands);
      plot.setRenderer(1, shade);
      plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
    }
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    if (xAxis != null) {
      xAxis.setAutoRangeIncludesZero(false);
    }
    if (yAxis != null) {
      yAxis.setAutoRangeIncludesZero(false);
    }
    // The title is the figure's caption in the page; drawing it again inside the image would waste space.
    JFreeChart jf = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
    jf.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = jf.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setDefsKeyPrefix(idPrefix);
    jf.draw(g2, new Rectangle(0, 0, width, height));
    return g2.getSVGElement(idPrefix + "-svg", true, null, null, null);
  }

  /** Series longer than this are drawn as bin means: the eye cannot tell more points apart at chart width. */
  static final int MAX_DRAWN_POINTS = 600;

  /**
   * {@code x} and {@code y}, or for long series the means of {@link #MAX_DRAWN_POINTS} consecutive bins (x and
   * y averaged alike), so a 64,000-step loss curve costs a few kilobytes of SVG, not megabytes.
   */
  static double[][] thin(double[] x, double[] y) {
    int n = x.length;
    if (n <= MAX_DRAWN_POINTS * 2) {
      return new double[][] {x, y};
    }
    int bins = MAX_DRAWN_POINTS;
    double[] bx = new double[bins];
    double[] by = new double[bins];
    for (int b = 0; b < bins; b++) {
      int from = (int) ((long) n * b / bins);
      int to = (int) ((long) n * (b + 1) / bins);
      double sx = 0;
      double sy = 0;
      int k = 0;
      for (int i = from; i < to; i++) {
        if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
          sx += x[i];
          sy += y[i];
          k++;
        }
      }
      bx[b] = k == 0 ? Double.NaN : sx / k;
      by[b] = k == 0 ? Double.NaN : sy / k;
    }
    return new double[][] {bx, by};
  }

  private static LogarithmicAxis logAxis(String label) {
    LogarithmicAxis a = new LogarithmicAxis(label);
    a.setStrictValuesFlag(false);
    a.setExpTickLabelsFlag(false);
    a.setLog10TickLabelsFlag(false);
    return a;
  }
}
