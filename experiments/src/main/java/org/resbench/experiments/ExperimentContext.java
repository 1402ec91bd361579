package org.resbench.experiments;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.SessionOptions;

/**
 * What an experiment run receives besides its config: the backends to run on (already filtered to those with
 * the experiment's capabilities), session options, progress reporting, image data, and the run's record.
 * Immutable; the data suppliers load at most once per data set.
 *
 * @param backends backends to run on, in order
 * @param options session options for every session (threads, SGD)
 * @param progress progress trackers
 * @param imageData the run's {@code --data} set (the synthetic set, announced, when it is absent)
 * @param datasets loads data by the experiment's own choice: a preference list of names, the first present one
 *     is used, none present is an {@link IllegalArgumentException} (see {@link ImageSources#loadFirstPresent})
 * @param run the record being written, for saving progress and checkpoints
 */
public record ExperimentContext(List<Backend> backends, SessionOptions options, Progress.Factory progress,
    Supplier<ImageData> imageData, Function<List<String>, ImageData> datasets, RunHandle run) {
  public ExperimentContext {
    backends = List.copyOf(backends);
  }

  /** A context without a results store (tests): strict data loading from the standard places. */
  public ExperimentContext(List<Backend> backends, SessionOptions options, Progress.Factory progress,
      Supplier<ImageData> imageData) {
    this(backends, options, progress, imageData, names -> ImageSources.loadFirstPresent(names, null,
        System.err::println), RunHandle.detached());
  }
}
