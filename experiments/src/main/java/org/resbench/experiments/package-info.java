/**
 * The experiment framework: the {@link org.resbench.experiments.Experiment} contract, the plug-in wiring
 * ({@link org.resbench.experiments.ExperimentPlugin}, {@link org.resbench.experiments.ExperimentCatalog}), config
 * resolution and the runner that writes a record with its provenance. Each experiment is a sub-package.
 */
package org.resbench.experiments;
