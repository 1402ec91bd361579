/**
 * The {@code ensemble-paths} experiment (Veit et al. 2016): the exact path-length distribution of a ResNet
 * ({@link org.resbench.experiments.ensemble.PathDistribution}, shared with {@code resbench paths}), the gradient
 * reaching the input through paths of each length sampled with backward path masks
 * ({@link org.resbench.experiments.ensemble.PathGradientSampler}), the effective paths, and lesions at test time
 * through {@link org.resbench.experiments.lesion.Lesions}.
 */
package org.resbench.experiments.ensemble;
