package org.resbench.experiments;

import java.util.List;
import org.resbench.results.ExperimentData;
import org.resbench.results.RunStatus;

/** What an experiment's run produced: its status, its data and notes for the reader. Immutable. */
public record ExperimentResult(RunStatus status, ExperimentData data, List<String> messages) {
  public ExperimentResult {
    messages = List.copyOf(messages);
  }
}
