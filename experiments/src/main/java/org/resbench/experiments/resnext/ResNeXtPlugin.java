package org.resbench.experiments.resnext;

import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code resnext}: experiment, data and section. Stateless. */
public final class ResNeXtPlugin implements ExperimentPlugin<ResNeXtConfig, ResNeXtData> {
  @Override
  public Experiment<ResNeXtConfig> experiment() {
    return new ResNeXtExperiment();
  }

  @Override
  public Class<ResNeXtData> dataClass() {
    return ResNeXtData.class;
  }

  @Override
  public ReportSection<ResNeXtData> section() {
    return new ResNeXtSection();
  }
}
