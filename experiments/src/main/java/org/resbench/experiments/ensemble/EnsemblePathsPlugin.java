package org.resbench.experiments.ensemble;

import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code ensemble-paths}: experiment, data and section. Stateless. */
public final class EnsemblePathsPlugin implements ExperimentPlugin<EnsemblePathsConfig, EnsemblePathsData> {
  @Override
  public Experiment<EnsemblePathsConfig> experiment() {
    return new EnsemblePathsExperiment();
  }

  @Override
  public Class<EnsemblePathsData> dataClass() {
    return EnsemblePathsData.class;
  }

  @Override
  public ReportSection<EnsemblePathsData> section() {
    return new EnsemblePathsSection();
  }
}
