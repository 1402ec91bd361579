package org.resbench.experiments.example;

import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers the worked example (test sources only, so the shipped catalog does not list it). Stateless. */
public final class LogitScalePlugin implements ExperimentPlugin<LogitScaleConfig, LogitScaleData> {
  @Override
  public Experiment<LogitScaleConfig> experiment() {
    return new LogitScaleExperiment();
  }

  @Override
  public Class<LogitScaleData> dataClass() {
    return LogitScaleData.class;
  }

  @Override
  public ReportSection<LogitScaleData> section() {
    return new LogitScaleSection();
  }
}
