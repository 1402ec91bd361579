package org.resbench.reports;

import j2html.tags.DomContent;
import java.util.List;
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

  /**
   * The few numbers and verdicts that sum the run up, for its row in the summary table at the top of the report
   * (the report adds the experiment, status, backends and time taken itself). Optional: the default has none.
   *
   * @param run the whole record
   * @param data the record's data, of this section's type
   */
  default List<Headline> headlines(RunRecord run, D data) {
    return List.of();
  }
}
