package org.resbench.reports;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A chart's data as CSV, and as a {@code data:} URI a page links to so the CSV downloads from inside a
 * self-contained report. One long ("tidy") table: a header line {@code series,x,y,lower,upper}, then one row per
 * point of every series (lower and upper empty) and of every band (y empty), in the chart's order. Numbers are the
 * plotted values to float32 precision (the shortest text that reads back to the same float32, at most 9 significant
 * digits; a chart cannot show more, and {@code resbench runs show ID --csv DIR} writes a record's values exactly);
 * NaN and infinities as {@code nan}, {@code inf}, {@code -inf} (Python's {@code float}, NumPy and pandas read them).
 * Stateless.
 */
public final class ChartData {
  private ChartData() {}

  /** Points a chart's CSV holds at most before long series are binned as they are drawn. */
  static final int MAX_CSV_POINTS = 50_000;

  /** The CSV of every series and band, each at full length. */
  public static String csv(Chart chart) {
    return csv(chart, false);
  }

  /** Whether {@link #pageCsv} bins this chart's long series (its data is then binned as drawn). */
  static boolean binnedInPage(Chart chart) {
    int points = chart.pointCount() + chart.bands().stream().mapToInt(b -> b.x().length).sum();
    return points > MAX_CSV_POINTS;
  }

  /** The CSV a report page carries: full length unless the chart holds more than {@link #MAX_CSV_POINTS}. */
  static String pageCsv(Chart chart) {
    return csv(chart, binnedInPage(chart));
  }

  private static String csv(Chart chart, boolean binned) {
    StringBuilder b = new StringBuilder("series,x,y,lower,upper\n");
    for (Chart.Series s : chart.series()) {
      double[][] xy = binned ? SvgCharts.thin(s.x(), s.y()) : new double[][] {s.x(), s.y()};
      String name = quote(s.name());
      for (int i = 0; i < xy[0].length; i++) {
        b.append(name).append(',').append(number(xy[0][i])).append(',').append(number(xy[1][i])).append(",,\n");
      }
    }
    for (Chart.Band band : chart.bands()) {
      double[][] lo = binned ? SvgCharts.thin(band.x(), band.lower()) : new double[][] {band.x(), band.lower()};
      double[][] hi = binned ? SvgCharts.thin(band.x(), band.upper()) : new double[][] {band.x(), band.upper()};
      String name = quote(band.name());
      for (int i = 0; i < lo[0].length; i++) {
        b.append(name).append(',').append(number(lo[0][i])).append(",,").append(number(lo[1][i])).append(',')
            .append(number(hi[1][i])).append('\n');
      }
    }
    return b.toString();
  }

  /** A CSV field: quoted when it holds a comma, quote or line break. */
  public static String quote(String field) {
    if (field == null) {
      return "";
    }
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  /** {@code v} to float32 precision (see the class comment). */
  static String number(double v) {
    return Double.isFinite(v) && Math.abs(v) > Float.MAX_VALUE ? Double.toString(v) : exact((float) v);
  }

  /** {@code v} exactly and briefly: integers without a fraction, float32 values as float32 text, else double text. */
  public static String exact(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    float f = (float) v;
    return (double) f == v ? Float.toString(f) : Double.toString(v);
  }

  /** {@code text} as a {@code data:text/csv} URI: unreserved characters kept, every other byte percent-encoded. */
  static String dataUri(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length + 64).append("data:text/csv;charset=utf-8,");
    for (byte x : bytes) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == ',') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return b.toString();
  }

  /** A file name for a chart's CSV: its title, lower case, runs of other characters as one hyphen. */
  static String fileName(String title, int maxLength) {
    String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (slug.length() > maxLength) {
      slug = slug.substring(0, maxLength).replaceAll("-$", "");
    }
    return (slug.isEmpty() ? "chart" : slug) + ".csv";
  }
}
