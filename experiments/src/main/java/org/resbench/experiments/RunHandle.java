package org.resbench.experiments;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.resbench.results.ExperimentData;

/**
 * The record an experiment is writing, for experiments that save as they go (training runs): its id, its folder
 * (for checkpoints), a way to save the data so far as an {@code UNFINISHED} record, and, when the run resumes an
 * interrupted one, that run's data. Experiments that finish in one go ignore it. Not thread-safe: the
 * experiment's thread uses it.
 */
public interface RunHandle {

  /** The run's id. */
  String id();

  /** The run's folder, created on first use together with an {@code UNFINISHED} record. */
  Path folder();

  /** Saves {@code partial} (the data so far) and {@code messages} as the run's {@code UNFINISHED} record. */
  void save(ExperimentData partial, List<String> messages);

  /** The data of the interrupted run this one resumes, or empty for a fresh run. */
  Optional<ExperimentData> previous();

  /**
   * A handle for runs outside a results store (tests): a temporary folder made on first use, saves discarded.
   */
  static RunHandle detached() {
    return new RunHandle() {
      private Path folder;

      @Override
      public String id() {
        return "detached";
      }

      @Override
      public Path folder() {
        if (folder == null) {
          try {
            folder = java.nio.file.Files.createTempDirectory("resbench-run");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a temporary run folder: " + e.getMessage(), e);
          }
        }
        return folder;
      }

      @Override
      public void save(ExperimentData partial, List<String> messages) {}

      @Override
      public Optional<ExperimentData> previous() {
        return Optional.empty();
      }
    };
  }
}
