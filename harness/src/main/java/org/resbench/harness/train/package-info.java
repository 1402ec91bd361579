/**
 * The training loop every backend shares: batches, augmentation and stochastic-depth gates from the run's seed,
 * learning-rate schedules computed here and passed in, periodic evaluation, divergence detection.
 */
package org.resbench.harness.train;
