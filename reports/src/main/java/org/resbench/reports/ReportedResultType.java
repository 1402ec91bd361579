package org.resbench.reports;

import org.resbench.results.ExperimentData;
import org.resbench.results.ResultType;

/**
 * A {@link ResultType} plug-in that also renders its report section. The report finds these by loading the
 * {@code ResultType} service and keeping the instances of this interface, keyed by the data's type name; it
 * renders a record of any other type with a generic section (provenance and the raw JSON). Stateless and
 * thread-safe.
 *
 * @param <D> the data record
 */
public interface ReportedResultType<D extends ExperimentData> extends ResultType<D> {

  /** Renders this type's data. */
  ReportSection<D> section();
}
