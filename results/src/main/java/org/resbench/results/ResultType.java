package org.resbench.results;

/**
 * A kind of experiment result, found through {@link java.util.ServiceLoader}: the name written in a record's
 * {@code data.type} field and the record class it is read into. This is the root of an experiment plug-in:
 * modules above {@code results} refine it ({@code org.resbench.reports.ReportedResultType} adds a report
 * section, {@code org.resbench.experiments.ExperimentPlugin} adds the experiment) and each module finds the
 * plug-ins by loading this service and keeping those of its own kind, so one line in
 * {@code META-INF/services/org.resbench.results.ResultType} registers an experiment everywhere.
 * Implementations are stateless, cheap to construct and thread-safe.
 *
 * @param <D> the data record
 */
public interface ResultType<D extends ExperimentData> {

  /** The JSON name of the data, also the experiment's name, e.g. {@code parity}. */
  String name();

  /** The data record's class. */
  Class<D> dataClass();
}
