package org.resbench.reports;

import j2html.tags.DomContent;
import org.resbench.results.ExperimentData;
import org.resbench.results.RunRecord;

/**
 * Renders one experiment's data as the body of its run's section (the report adds the heading, notices and
 * provenance around it). A section reads only the stored record: it never runs anything. Stateless and
 * thread-safe; the context it is given belongs to one report being rendered.
 *
 * @param <D> the data record it renders
 */
@FunctionalInterface
public interface ReportSection<D extends ExperimentData> {

  /**
   * The section's body.
   *
   * @param run the whole record (for provenance, e.g. which data set a run used)
   * @param data the record's data, of this section's type
   * @param context charts and other per-report services
   */
  DomContent render(RunRecord run, D data, ReportContext context);
}
