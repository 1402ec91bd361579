/** The measuring code of {@code resbench bench}: interleaved rounds, raw samples, ratios. */
package org.resbench.experiments.bench;
