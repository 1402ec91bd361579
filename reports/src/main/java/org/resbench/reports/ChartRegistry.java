package org.resbench.reports;

import static j2html.TagCreator.a;
import static j2html.TagCreator.figcaption;
import static j2html.TagCreator.figure;
import static j2html.TagCreator.rawHtml;
import static j2html.TagCreator.span;

import j2html.tags.DomContent;

/**
 * Hands out unique SVG id prefixes within one report and wraps charts in captioned figures, each with its text
 * alternative and its data as a downloadable CSV. One per report being rendered; not thread-safe.
 */
final class ChartRegistry {
  static final int WIDTH = 560;
  static final int HEIGHT = 360;
  private int next;
  /** Inline SVG styles of every chart so far, as classes (style to class name), in first-seen order. */
  private final java.util.Map<String, String> styles = new java.util.LinkedHashMap<>();

  /**
   * The chart as a {@code <figure>}: the SVG inline (with {@code role="img"}, a {@code <title>} and a {@code <desc>}
   * holding its headline), a caption with the title (and the description when the section gave one), and a link that
   * downloads the chart's series as CSV from a {@code data:} URI.
   */
  /** The stylesheet rules the charts so far need (their inline styles as classes). */
  String css() {
    return SvgCharts.css(styles);
  }

  DomContent figureOf(Chart chart) {
    String id = "c" + (next++);
    String svg = SvgCharts.accessible(SvgCharts.compact(SvgCharts.render(chart, WIDTH, HEIGHT, id), id, WIDTH, HEIGHT,
        styles), id, chart.title(), chart.headline());
    boolean binned = ChartData.binnedInPage(chart);
    DomContent link = a(binned ? "data (CSV, long series binned as drawn)" : "data (CSV)")
        .withHref(ChartData.dataUri(ChartData.pageCsv(chart))).attr("download", ChartData.fileName(chart.title(), 60))
        .withClass("csv");
    DomContent caption = chart.description() != null
        ? figcaption(span(chart.title()), span(" " + chart.description()).withClass("desc"), span(" "), link)
        : figcaption(span(chart.title()), span(" "), link);
    return figure(rawHtml(svg), caption).withClass("chart").withId("fig-" + id)
        .attr("data-points", String.valueOf(chart.pointCount()));
  }
}
