package org.resbench.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
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
    if (xAxis != null && integralX(chart)) {
      // Block indices, nights, depths: ticks on whole numbers only (no "2.5th block").
      xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    NumberAxis yAxis = chart.logY() ? null : new NumberAxis(chart.yLabel());
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    // One <path> per series rather than one <line> per segment: the SVG of a 256-point line shrinks ~10 times.
    renderer.setDrawSeriesLineAsPath(true);
    renderer.setDrawOutlines(false);
    for (int i = 0; i < chart.series().size(); i++) {
      Chart.Series s = chart.series().get(i);
      int colour = colourIndex(s, i);
      renderer.setSeriesPaint(i, PALETTE[colour % PALETTE.length]);
      boolean lines = s.style() != Chart.Style.POINTS;
      // A line's markers only where they can be told apart; its dash pattern still marks it in greyscale.
      boolean shapes = s.style() == Chart.Style.POINTS
          || (s.style() == Chart.Style.LINE_AND_POINTS && s.x().length <= MAX_MARKED_LINE_POINTS);
      renderer.setSeriesLinesVisible(i, lines);
      renderer.setSeriesShapesVisible(i, shapes);
      renderer.setSeriesShape(i, marker(colour));
      renderer.setSeriesStroke(i, stroke(s.style(), colour));
    }
    XYPlot plot = new XYPlot(data, chart.logX() ? logAxis(chart.xLabel(), data.getDomainLowerBound(false),
        data.getDomainUpperBound(false)) : xAxis, chart.logY() ? logAxis(chart.yLabel(),
        data.getRangeLowerBound(false), data.getRangeUpperBound(false)) : yAxis, renderer);
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
    // A tenth of a pixel is finer than any screen shows; JFreeSVG's default writes up to 17 digits per number.
    g2.setGeomDoubleConverter(SvgCharts::tenth);
    g2.setTransformDoubleConverter(SvgCharts::tenth);
    jf.draw(g2, new Rectangle(0, 0, width, height));
    return g2.getSVGElement(idPrefix + "-svg", true, null, null, null);
  }

  /**
   * {@code svg} (an {@code <svg>} element as {@link #render} returns it) as an image with a text alternative:
   * {@code role="img"}, labelled by a {@code <title>} (the chart's title) and described by a {@code <desc>} (its
   * headline), both inserted as the element's first children.
   */
  static String accessible(String svg, String idPrefix, String title, String description) {
    int open = svg.indexOf('>');
    if (!svg.startsWith("<svg") || open < 0) {
      throw new IllegalArgumentException("not an <svg> element: " + svg.substring(0, Math.min(40, svg.length())));
    }
    String t = idPrefix + "-title";
    String d = idPrefix + "-desc";
    return "<svg role='img' aria-labelledby='" + t + " " + d + "'" + svg.substring(4, open + 1) + "<title id='" + t
        + "'>" + xml(title) + "</title><desc id='" + d + "'>" + xml(description) + "</desc>" + svg.substring(open + 1);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
        .replace("\"", "&quot;");
  }

  /** Lines with markers drop them beyond this many points (markers that overlap say nothing). */
  static final int MAX_MARKED_LINE_POINTS = 60;
  /** Log axes over data inside these bounds get plain decimal tick labels; beyond them, exponent labels. */
  private static final double PLAIN_LOG_MIN = 1e-4;
  private static final double PLAIN_LOG_MAX = 1e6;

  private static final java.util.regex.Pattern STYLE = java.util.regex.Pattern.compile(" style='([^']*)'");

  /**
   * {@code svg} made smaller for a page that holds many charts: each distinct inline {@code style} becomes a class
   * whose rule is collected in {@code classes} (style to class name, shared by every chart of the page, which writes
   * the rules once in its stylesheet), and references to the clip path that is the whole canvas are dropped (an
   * inline SVG clips to its viewport anyway).
   */
  static String compact(String svg, String idPrefix, int width, int height, java.util.Map<String, String> classes) {
    String canvas = "<clipPath id='" + idPrefix + "clip-0'><path d='M0,0L" + width + ",0L" + width + "," + height
        + "L0," + height + "L0,0Z'/></clipPath>";
    String out = svg.contains(canvas) ? svg.replace(" clip-path='url(#" + idPrefix + "clip-0)'", "") : svg;
    java.util.regex.Matcher m = STYLE.matcher(out);
    StringBuilder b = new StringBuilder(out.length());
    while (m.find()) {
      String cls = classes.computeIfAbsent(m.group(1), k -> "j" + classes.size());
      m.appendReplacement(b, " class='" + cls + "'");
    }
    m.appendTail(b);
    return b.toString();
  }

  /** The stylesheet rules of {@code classes} (as {@link #compact} collected them), one per line. */
  static String css(java.util.Map<String, String> classes) {
    StringBuilder b = new StringBuilder();
    classes.forEach((style, cls) -> b.append("svg .").append(cls).append('{').append(style).append("}\n"));
    return b.toString();
  }

  /** The palette index of series {@code i}: its own colour, or its position. */
  static int colourIndex(Chart.Series s, int i) {
    return s.colour() >= 0 ? s.colour() : i;
  }

  /**
   * Dash patterns by palette index, so lines differ in greyscale and for readers who cannot tell the colours
   * apart: solid lines cycle through solid, long dash, dot, dash-dot; dashed lines through their own four
   * patterns, all visibly broken, so a fit (dashed) still reads as a fit.
   */
  private static final float[][] LINE_DASHES = {null, {9f, 3f}, {2f, 2f}, {9f, 3f, 2f, 3f}};
  private static final float[][] DASHED_DASHES = {{6f, 4f}, {3f, 4f}, {10f, 4f, 2f, 4f}, {14f, 5f}};

  static BasicStroke stroke(Chart.Style style, int colour) {
    float[] dash = style == Chart.Style.DASHED ? DASHED_DASHES[colour % DASHED_DASHES.length]
        : LINE_DASHES[colour % LINE_DASHES.length];
    return dash == null ? new BasicStroke(1.5f)
        : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, dash, 0f);
  }

  /** Marker shapes by palette index (circle, square, triangle, diamond, down triangle, cross), for greyscale. */
  static Shape marker(int colour) {
    double r = 3;
    return switch (colour % 6) {
      case 0 -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
      case 1 -> new Rectangle2D.Double(-r * 0.9, -r * 0.9, 1.8 * r, 1.8 * r);
      case 2 -> polygon(0, -r * 1.2, r * 1.1, r * 0.8, -r * 1.1, r * 0.8);
      case 3 -> polygon(0, -r * 1.3, r * 1.1, 0, 0, r * 1.3, -r * 1.1, 0);
      case 4 -> polygon(0, r * 1.2, r * 1.1, -r * 0.8, -r * 1.1, -r * 0.8);
      default -> polygon(-r, -r * 0.4, -r * 0.4, -r * 0.4, -r * 0.4, -r, r * 0.4, -r, r * 0.4, -r * 0.4, r, -r * 0.4,
          r, r * 0.4, r * 0.4, r * 0.4, r * 0.4, r, -r * 0.4, r, -r * 0.4, r * 0.4, -r, r * 0.4);
    };
  }

  private static Shape polygon(double... xy) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      p.lineTo(xy[i], xy[i + 1]);
    }
    p.closePath();
    return p;
  }

  /** {@code v} to a tenth, without a trailing ".0". */
  static String tenth(double v) {
    long t = Math.round(v * 10);
    if (t % 10 == 0) {
      return Long.toString(t / 10);
    }
    return (t < 0 ? "-" : "") + Math.abs(t) / 10 + "." + Math.abs(t) % 10;
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

  /** Whether every finite x value of every series is a whole number. */
  static boolean integralX(Chart chart) {
    for (Chart.Series s : chart.series()) {
      for (double x : s.x()) {
        if (Double.isFinite(x) && x != Math.rint(x)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A log axis over data from {@code min} to {@code max}: plain decimal tick labels (0.01, 100) inside
   * [{@value #PLAIN_LOG_MIN}, {@value #PLAIN_LOG_MAX}], exponent labels (1e-12) when the data reach beyond, where
   * decimals would grow to a dozen digits.
   */
  private static LogarithmicAxis logAxis(String label, double min, double max) {
    LogarithmicAxis a = new LogarithmicAxis(label);
    a.setStrictValuesFlag(false);
    a.setExpTickLabelsFlag(min < PLAIN_LOG_MIN || max > PLAIN_LOG_MAX);
    a.setLog10TickLabelsFlag(false);
    return a;
  }
}
