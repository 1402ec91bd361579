package org.resbench.experiments.ensemble;

import java.util.List;
import org.resbench.experiments.lesion.Lesions;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.results.ExperimentData;
import org.resbench.results.stats.CurveFit;

/**
 * The {@code ensemble-paths} experiment's results (Veit et al. 2016): the path-length distribution of the ResNet,
 * every path-gradient sample with what is derived from it, every lesion error, where the weights came from, and
 * the computed verdicts. Raw samples are kept; summaries are derived from them ({@link PathGradientStats}).
 * Immutable by convention (arrays are not copied).
 *
 * @param dataset the data set used
 * @param nets the nets studied, per role and seed, and where their weights came from
 * @param runs the nets trained by this run (empty when every net came with weights)
 * @param distribution the path-length distribution of the ResNet (exact counts)
 * @param gradients path-gradient samples per backend, weights (trained, initialisation) and seed
 * @param lesions lesion errors per backend, role and seed
 * @param skips what was not done on a backend, and why
 * @param verdicts the computed verdicts (empty while running)
 */
public record EnsemblePathsData(String dataset, List<NetInfo> nets, List<TrainedRun> runs,
    PathDistribution distribution, List<PathGradients> gradients, List<LesionResult> lesions, List<Skip> skips,
    List<Verdict> verdicts) implements ExperimentData {

  public EnsemblePathsData {
    nets = List.copyOf(nets);
    runs = runs == null ? List.of() : List.copyOf(runs);
    gradients = gradients == null ? List.of() : List.copyOf(gradients);
    lesions = lesions == null ? List.of() : List.copyOf(lesions);
    skips = skips == null ? List.of() : List.copyOf(skips);
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
  }

  /** The weights label of path gradients measured on trained weights. */
  public static final String TRAINED = "trained";
  /** The weights label of path gradients measured on the initial weights. */
  public static final String INITIALISATION = "initialisation";

  /**
   * One net of the study.
   *
   * @param role {@code resnet}, {@code plain} or {@code stochastic-depth}
   * @param spec its canonical spec name
   * @param seed the seed it was trained with here (for given weights: the seed of this study's draws)
   * @param source where its weights came from: "trained here on BACKEND (cell, N steps)" or the reference and file
   * @param trainedHere whether this run trained it (the smoke profile does; the report says so)
   * @param weightsHash SHA-256 of its parameters and statistics, or null if it could not be had
   * @param testErrorPercent its test error with every block (inference gates), on the first backend, or null
   */
  public record NetInfo(String role, String spec, long seed, String source, boolean trainedHere, String weightsHash,
      Double testErrorPercent) {}

  /**
   * Path-gradient samples (Veit et al. Fig. 6) on one backend: for each path length k = 0..n and sample s, the norm
   * of the gradient of the mean cross-entropy of one random training batch with respect to the input, with k
   * random blocks passing gradient only through their residual branch and the others only through their shortcut.
   * The same (k, s) uses the same blocks and the same batch on every backend.
   *
   * @param backend the backend
   * @param role the net ({@code resnet})
   * @param spec its spec
   * @param weights {@link #TRAINED} or {@link #INITIALISATION}
   * @param seed the seed of the blocks and batches drawn
   * @param batch examples per sample
   * @param bnMode BatchNorm mode of the samples
   * @param workers sessions sampling in parallel
   * @param seconds wall time of the sampling (after one warm-up call per session)
   * @param samplesPerSecond samples / seconds
   * @param magnitudes {@code [k][s]}: the L2 norm over the whole {@code [batch, C, H, W]} input gradient
   * @param summary what is derived from the magnitudes
   */
  public record PathGradients(String backend, String role, String spec, String weights, long seed, int batch,
      String bnMode, int workers, double seconds, double samplesPerSecond, double[][] magnitudes,
      PathGradientStats summary) {}

  /**
   * Derived from path-gradient magnitudes, per path length k = 0..n.
   *
   * @param mean the mean magnitude
   * @param sd its sample standard deviation
   * @param p10 the 10th percentile (lower edge of the spread band)
   * @param p90 the 90th percentile
   * @param total the total gradient of all paths of length k: C(n, k) × mean
   * @param totalShare {@code total} as a share of the sum over k
   * @param fraction the share of the total the effective range holds at least (0.9)
   * @param effectiveFrom the shortest range of lengths holding {@code fraction} of the total: first length
   * @param effectiveTo its last length
   * @param effectiveTotalShare the share of the total it actually holds
   * @param weightedMeanLength the mean path length weighted by the total gradient, Σ k·totalShare(k) (the typical
   *     path's length is n/2)
   * @param pathShare the share of all 2^n paths whose length lies in the range (from the exact distribution)
   * @param pathShareExact the same, every decimal digit
   * @param decay the exponential fit {@code a·b^k} of the mean magnitude over k = 1..n, by least squares on the log
   *     (b: the factor per block; r2 on the log scale)
   */
  public record PathGradientStats(double[] mean, double[] sd, double[] p10, double[] p90, double[] total,
      double[] totalShare, double fraction, int effectiveFrom, int effectiveTo, double effectiveTotalShare,
      double weightedMeanLength, double pathShare, String pathShareExact, CurveFit.Fit decay) {}

  /**
   * Lesion errors of one net on one backend (Veit et al. Fig. 3-5, 8).
   *
   * @param backend the backend
   * @param role the net's role
   * @param spec its spec
   * @param seed its seed (and the seed of the draws)
   * @param testExamples examples each error is measured on
   * @param single the intact error and the error with each single block deleted
   * @param deletions the error with k random blocks deleted, per k and draw
   * @param swaps the error with k random pairs of same-shape blocks swapped, per k and draw
   * @param seconds wall time of this net's lesions on this backend
   */
  public record LesionResult(String backend, String role, String spec, long seed, int testExamples,
      Lesions.SingleBlock single, List<Lesions.RandomDeletions> deletions, List<Lesions.RandomSwaps> swaps,
      double seconds) {
    public LesionResult {
      deletions = List.copyOf(deletions);
      swaps = List.copyOf(swaps);
    }
  }

  /**
   * Something not done on a backend.
   *
   * @param backend the backend
   * @param what what was skipped (e.g. "path gradients")
   * @param reason why
   */
  public record Skip(String backend, String what, String reason) {}

  /**
   * A computed verdict.
   *
   * @param backend the backend whose measurements were judged
   * @param kind {@code decay}, {@code effective-range} or {@code plain-vs-resnet}, {@code stochastic-depth}
   * @param holds whether the paper's claim holds by the stated criterion
   * @param text one or two sentences with the numbers and the criterion
   */
  public record Verdict(String backend, String kind, boolean holds, String text) {}
}
