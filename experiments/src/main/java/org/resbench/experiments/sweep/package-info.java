/**
 * Sweeps: a YAML file naming an experiment and a grid of configuration values, planned into cells with stable ids
 * ({@link org.resbench.experiments.sweep.SweepPlan}), run a deterministic shard at a time with resume
 * ({@link org.resbench.experiments.sweep.SweepRunner}), merged from shards into one run set
 * ({@link org.resbench.experiments.sweep.SweepMerger}), and spread over a Slurm cluster as an array job with a
 * dependent merge job ({@link org.resbench.experiments.sweep.SlurmSubmission}). A cell's result is an ordinary run
 * record whose provenance names its sweep and cell; a merged set gets a summary record rendered by the report.
 */
package org.resbench.experiments.sweep;
