package org.resbench.experiments;

import java.util.List;
import java.util.function.Supplier;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.SessionOptions;

/**
 * What an experiment run receives besides its config: the backends to run on (already filtered to those with
 * the experiment's capabilities), session options, progress reporting, and lazily loaded image data.
 * Immutable; the data supplier is called at most once per call site (experiments call it once).
 *
 * @param backends backends to run on, in order
 * @param options session options for every session (threads, SGD)
 * @param progress progress trackers
 * @param imageData loads the image data when an experiment needs it
 */
public record ExperimentContext(List<Backend> backends, SessionOptions options, Progress.Factory progress,
    Supplier<ImageData> imageData) {
  public ExperimentContext {
    backends = List.copyOf(backends);
  }
}
