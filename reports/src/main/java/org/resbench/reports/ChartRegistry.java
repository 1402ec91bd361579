package org.resbench.reports;

import static j2html.TagCreator.figcaption;
import static j2html.TagCreator.figure;
import static j2html.TagCreator.rawHtml;

import j2html.tags.DomContent;

/**
 * Hands out unique SVG id prefixes within one report and wraps charts in captioned figures. One per report
 * being rendered; not thread-safe.
 */
final class ChartRegistry {
  static final int WIDTH = 560;
  static final int HEIGHT = 360;
  private int next;

  /** The chart as a {@code <figure>} with its SVG inline and its title as caption. */
  DomContent figureOf(Chart chart) {
    String svg = SvgCharts.render(chart, WIDTH, HEIGHT, "c" + (next++));
    return figure(rawHtml(svg), figcaption(chart.title())).withClass("chart")
        .attr("data-points", String.valueOf(chart.pointCount()));
  }
}
