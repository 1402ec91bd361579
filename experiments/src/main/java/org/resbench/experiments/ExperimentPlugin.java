package org.resbench.experiments;

import java.util.Optional;
import org.resbench.reports.ReportedResultType;
import org.resbench.results.ExperimentData;

/**
 * An experiment as a plug-in: its {@link Experiment} (config type, profiles, run method), its result data type
 * and its report section, registered by one line naming the implementing class in
 * {@code META-INF/services/org.resbench.results.ResultType}. The catalog, the JSON form of records, the report
 * and {@code quickstart} all find it there; nothing else lists experiments. Its profiles are the YAML resource
 * {@code NAME.yaml} beside the experiment's class. Implementations are stateless, cheap to construct and
 * thread-safe (the class needs a public no-argument constructor).
 *
 * @param <C> the config record
 * @param <D> the data record
 */
public interface ExperimentPlugin<C, D extends ExperimentData> extends ReportedResultType<D> {

  /** The experiment; its name must equal {@link #name()}. */
  Experiment<C> experiment();

  /** The experiment's name (also its data's JSON type name). */
  @Override
  default String name() {
    return experiment().name();
  }

  /**
   * The profile {@code resbench quickstart} runs, or empty when the experiment is not part of the quickstart
   * suite (which must stay a few minutes on a 2-core machine).
   */
  default Optional<String> quickstartProfile() {
    return Optional.empty();
  }
}
