package org.resbench.experiments.nightly;

import org.resbench.reports.ReportSection;
import org.resbench.reports.ReportedResultType;

/** Registers the {@code nightly} record type and its report section (not an experiment: 'resbench nightly' runs it). */
public final class NightlyPlugin implements ReportedResultType<NightlyData> {
  @Override
  public String name() {
    return History.TYPE;
  }

  @Override
  public Class<NightlyData> dataClass() {
    return NightlyData.class;
  }

  @Override
  public ReportSection<NightlyData> section() {
    return new NightlySection();
  }
}
