package org.resbench.experiments.parity;

import java.util.Optional;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code parity}: experiment, data and section. Stateless. */
public final class ParityPlugin implements ExperimentPlugin<ParityConfig, ParityData> {
  @Override
  public Experiment<ParityConfig> experiment() {
    return new ParityExperiment();
  }

  @Override
  public Class<ParityData> dataClass() {
    return ParityData.class;
  }

  @Override
  public ReportSection<ParityData> section() {
    return new ParitySection();
  }

  @Override
  public Optional<String> quickstartProfile() {
    return Optional.of("smoke");
  }
}
