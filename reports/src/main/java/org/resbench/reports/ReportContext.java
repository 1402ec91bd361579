package org.resbench.reports;

import j2html.tags.DomContent;

/**
 * What a {@link ReportSection} gets from the report being rendered: charts with page-unique ids. One per
 * rendered report; not thread-safe.
 */
public final class ReportContext {
  private final ChartRegistry charts = new ChartRegistry();

  ReportContext() {}

  /** The chart as a captioned {@code <figure>} with its SVG inline. */
  public DomContent figure(Chart chart) {
    return charts.figureOf(chart);
  }
}
