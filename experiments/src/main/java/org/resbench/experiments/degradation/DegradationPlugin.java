package org.resbench.experiments.degradation;

import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code degradation}: experiment, data and section. Stateless. */
public final class DegradationPlugin implements ExperimentPlugin<DegradationConfig, DegradationData> {
  @Override
  public Experiment<DegradationConfig> experiment() {
    return new DegradationExperiment();
  }

  @Override
  public Class<DegradationData> dataClass() {
    return DegradationData.class;
  }

  @Override
  public ReportSection<DegradationData> section() {
    return new DegradationSection();
  }
}
