package org.resbench.experiments.sweep;

import org.resbench.reports.ReportSection;
import org.resbench.reports.ReportedResultType;

/** Registers the {@code sweep} summary record and its report section (not an experiment: it runs nothing). */
public final class SweepPlugin implements ReportedResultType<SweepData> {
  @Override
  public String name() {
    return SweepMerger.TYPE;
  }

  @Override
  public Class<SweepData> dataClass() {
    return SweepData.class;
  }

  @Override
  public ReportSection<SweepData> section() {
    return new SweepSection();
  }
}
