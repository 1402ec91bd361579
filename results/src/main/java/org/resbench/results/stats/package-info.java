/**
 * The project's one statistics layer, used by experiments, reports and baseline comparisons: raw samples and
 * their quantiles, means with Student-t confidence intervals, correlations, decay-law fits and rank tests,
 * built on Apache Commons Math wherever it has the piece. Hand-written code here says why in its Javadoc.
 */
package org.resbench.results.stats;
