package org.resbench.experiments.shattered;

import java.util.Optional;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.reports.ReportSection;

/** Registers {@code shattered-gradients}: experiment, data and section. Stateless. */
public final class ShatteredGradientsPlugin
    implements ExperimentPlugin<ShatteredGradientsConfig, ShatteredGradientsData> {
  @Override
  public Experiment<ShatteredGradientsConfig> experiment() {
    return new ShatteredGradientsExperiment();
  }

  @Override
  public Class<ShatteredGradientsData> dataClass() {
    return ShatteredGradientsData.class;
  }

  @Override
  public ReportSection<ShatteredGradientsData> section() {
    return new ShatteredGradientsSection();
  }

  @Override
  public Optional<String> quickstartProfile() {
    return Optional.of("smoke");
  }
}
