/**
 * Nightly regression runs: a suite of timings and numeric figures ({@link org.resbench.experiments.nightly.Suite}),
 * run and compared with a baseline from a history of earlier nights on raw samples
 * ({@link org.resbench.experiments.nightly.NightlyRunner}), stored as a {@code nightly} run record
 * ({@link org.resbench.experiments.nightly.NightlyData}) that the report renders with a verdict table and trend
 * charts, and a calibration that measures this machine's false-alarm and detection rates with a real injected
 * slowdown ({@link org.resbench.experiments.nightly.Calibration}). The nightly is a plug-in like the experiments:
 * one line in {@code META-INF/services/org.resbench.results.ResultType} registers its record type and section.
 */
package org.resbench.experiments.nightly;
