package org.resbench.experiments.train;

import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code train}: experiment, data and section. Stateless. */
public final class TrainPlugin implements ExperimentPlugin<TrainConfig, TrainData> {
  @Override
  public Experiment<TrainConfig> experiment() {
    return new TrainExperiment();
  }

  @Override
  public Class<TrainData> dataClass() {
    return TrainData.class;
  }

  @Override
  public ReportSection<TrainData> section() {
    return new TrainSection();
  }
}
