package org.resbench.experiments.throughput;

import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code throughput}: experiment, data and section (not part of quickstart). Stateless. */
public final class ThroughputPlugin implements ExperimentPlugin<ThroughputConfig, ThroughputData> {
  @Override
  public Experiment<ThroughputConfig> experiment() {
    return new ThroughputExperiment();
  }

  @Override
  public Class<ThroughputData> dataClass() {
    return ThroughputData.class;
  }

  @Override
  public ReportSection<ThroughputData> section() {
    return new ThroughputSection();
  }
}
