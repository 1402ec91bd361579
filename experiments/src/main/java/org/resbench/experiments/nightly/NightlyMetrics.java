package org.resbench.experiments.nightly;

import java.util.List;
import org.resbench.results.RunRecord;

/**
 * The figures a nightly takes from one experiment's run. An experiment's plug-in can implement this itself (the
 * nightly then uses it); parity and shattered-gradients have built-in ones ({@link BuiltInMetrics}). Stateless
 * and thread-safe.
 */
public interface NightlyMetrics {

  /** The figures of {@code run} (a record of this experiment), each with a stable key. */
  List<MetricValue> metrics(RunRecord run);
}
