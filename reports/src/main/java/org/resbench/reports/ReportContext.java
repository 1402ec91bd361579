package org.resbench.reports;

import j2html.tags.DomContent;

/**
 * What a {@link ReportSection} gets from the report being rendered: charts with page-unique ids. One per
 * rendered report; not thread-safe.
 */
public final class ReportContext {
  private final ChartRegistry charts = new ChartRegistry();

  ReportContext() {}

  /** The stylesheet rules of the charts rendered so far; the page writes them once in its {@code <style>}. */
  String chartCss() {
    return charts.css();
  }

  /**
   * The chart as a captioned {@code <figure>}: its SVG inline with its title and headline as text alternative
   * ({@link Chart#headline()}), and a link that downloads its series as CSV ({@link ChartData}).
   */
  public DomContent figure(Chart chart) {
    return charts.figureOf(chart);
  }
}
