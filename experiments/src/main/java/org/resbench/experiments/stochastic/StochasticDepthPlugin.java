package org.resbench.experiments.stochastic;

import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code stochastic-depth}: experiment, data and section. Stateless. */
public final class StochasticDepthPlugin implements ExperimentPlugin<StochasticDepthConfig, StochasticDepthData> {
  @Override
  public Experiment<StochasticDepthConfig> experiment() {
    return new StochasticDepthExperiment();
  }

  @Override
  public Class<StochasticDepthData> dataClass() {
    return StochasticDepthData.class;
  }

  @Override
  public ReportSection<StochasticDepthData> section() {
    return new StochasticDepthSection();
  }
}
