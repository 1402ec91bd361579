package org.resbench.experiments.ensemble;

import java.util.List;
import java.util.Locale;
import org.resbench.experiments.training.TrainingSettings;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * The {@code ensemble-paths} experiment's configuration (Veit et al. 2016). Immutable; validated at construction,
 * each message naming the field, the value and what is allowed.
 *
 * @param resnet the residual net studied (path gradients and lesions)
 * @param plain a plain net of the same depth (lesions only: a plain net has one path)
 * @param stochasticDepth a stochastic-depth net (lesions only), or null / a null spec for none
 * @param data data sets in preference order; the first present is used, none present stops the run (exit 2)
 * @param seeds per seed: the nets trained here (when they have no {@code weights}), the random blocks and batches
 *     of the path-gradient samples, and the lesion draws
 * @param training how nets without {@code weights} are trained here
 * @param trainBackend the backend nets without weights are trained on ({@code auto}: the first chosen backend
 *     that trains); every backend then studies the same trained weights
 * @param samplesPerLength path-gradient samples per path length k (Veit et al.: 1,000)
 * @param gradientBatch training examples per path-gradient sample
 * @param gradientBnMode BatchNorm during path-gradient samples: {@code train} (batch statistics, as in the
 *     training pass whose gradients Veit et al. decompose; the default) or {@code inference}
 * @param atInitialisation also sample path gradients of the ResNet with its initial weights
 * @param effectiveFraction the share of the total gradient the effective range of path lengths holds (0.9)
 * @param workers sessions per backend sampling path gradients in parallel (samples are independent)
 * @param lesionMaxK delete k = 1..lesionMaxK random blocks (clipped to the number of blocks)
 * @param swapMaxK swap k = 1..swapMaxK random pairs of same-shape blocks (clipped to the number of pairs)
 * @param lesionDraws random draws per k, for deletions and swaps
 * @param testExamples test examples of every lesion error (0 = the whole test split)
 * @param evalExamples validation examples at each evaluation while training here (0 = all)
 * @param plainMarginPoints the verdict "the plain net's lesion error is much worse": its mean single-block
 *     increase over the intact net exceeds the ResNet's by at least this many percentage points
 */
public record EnsemblePathsConfig(Net resnet, Net plain, Net stochasticDepth, List<String> data, List<Long> seeds,
    TrainingSettings training, String trainBackend, int samplesPerLength, int gradientBatch, String gradientBnMode,
    boolean atInitialisation, double effectiveFraction, int workers, int lesionMaxK, int swapMaxK, int lesionDraws,
    int testExamples, int evalExamples, double plainMarginPoints) {

  /** The BatchNorm modes {@link #gradientBnMode} may name. */
  public static final List<String> BN_MODES = List.of("train", "inference");

  /**
   * One net of the study.
   *
   * @param spec its spec name (adapted to the data's shape unless it names one); may be null when {@code weights}
   *     are given (the checkpoint names its spec)
   * @param weights its trained weights: {@code run:ID}, {@code run:ID/CELL} or a checkpoint file
   *     ({@link org.resbench.experiments.training.TrainedWeights}); null to train it here
   */
  public record Net(String spec, String weights) {
    public Net {
      if (spec != null && spec.isBlank()) {
        spec = null;
      }
      if (weights != null && weights.isBlank()) {
        weights = null;
      }
    }

    /** Whether the config names a net at all. */
    public boolean present() {
      return spec != null || weights != null;
    }
  }

  public EnsemblePathsConfig {
    requireNet("resnet", resnet, true);
    requireNet("plain", plain, true);
    if (stochasticDepth != null && !stochasticDepth.present()) {
      stochasticDepth = null;
    }
    if (stochasticDepth != null) {
      requireNet("stochasticDepth", stochasticDepth, false);
    }
    if (resnet.spec() != null) {
      ModelSpec s = SpecNames.build(resnet.spec());
      if (s.blocks().isEmpty() || !s.blocks().stream().allMatch(Block::residual)) {
        throw new IllegalArgumentException("resnet.spec=" + resnet.spec() + " is not a residual net; allowed: a"
            + " ResNet, e.g. resnet-20, resnet-110");
      }
      if (plain.spec() != null && SpecNames.build(plain.spec()).blocks().size() != s.blocks().size()) {
        throw new IllegalArgumentException("plain.spec=" + plain.spec() + " has " + SpecNames.build(plain.spec())
            .blocks().size() + " blocks but resnet.spec=" + resnet.spec() + " has " + s.blocks().size()
            + "; allowed: a plain net of the same depth, e.g. plain-" + s.weightedDepth());
      }
    }
    if (plain.spec() != null && SpecNames.build(plain.spec()).blocks().stream().anyMatch(Block::residual)) {
      throw new IllegalArgumentException("plain.spec=" + plain.spec() + " has residual blocks; allowed: a plain net,"
          + " e.g. plain-20");
    }
    if (stochasticDepth != null && stochasticDepth.spec() != null && SpecNames.build(stochasticDepth.spec()).blocks()
        .stream().allMatch(b -> b.survivalProbability() == 1)) {
      throw new IllegalArgumentException("stochasticDepth.spec=" + stochasticDepth.spec() + " has no block with a"
          + " survival probability below 1; allowed: a stochastic-depth net, e.g. resnet-20-sd");
    }
    if (data == null || data.isEmpty()) {
      throw new IllegalArgumentException("data: none; allowed: data set names in preference order, e.g."
          + " [fashion-mnist] or [cifar10, fashion-mnist]");
    }
    if (seeds == null || seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
      throw new IllegalArgumentException("seeds=" + seeds + "; allowed: one or more distinct seeds");
    }
    if (training == null) {
      throw new IllegalArgumentException("training: none; allowed: a training section (see the profiles); it is"
          + " used for nets without weights");
    }
    if (trainBackend == null || trainBackend.isBlank()) {
      trainBackend = "auto";
    }
    if (samplesPerLength < 1 || gradientBatch < 2) {
      throw new IllegalArgumentException("samplesPerLength=" + samplesPerLength + ", gradientBatch=" + gradientBatch
          + "; allowed: samplesPerLength >= 1, gradientBatch >= 2 (BatchNorm needs a batch)");
    }
    gradientBnMode = gradientBnMode == null ? "train" : gradientBnMode.toLowerCase(Locale.ROOT);
    if (!BN_MODES.contains(gradientBnMode)) {
      throw new IllegalArgumentException("gradientBnMode=" + gradientBnMode + "; allowed: " + String.join(", ",
          BN_MODES));
    }
    if (!(effectiveFraction > 0 && effectiveFraction <= 1)) {
      throw new IllegalArgumentException("effectiveFraction=" + effectiveFraction + "; allowed: (0, 1], e.g. 0.9");
    }
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("workers=" + workers + "; allowed: 1..64");
    }
    if (lesionMaxK < 1 || swapMaxK < 0 || lesionDraws < 1) {
      throw new IllegalArgumentException("lesionMaxK=" + lesionMaxK + ", swapMaxK=" + swapMaxK + ", lesionDraws="
          + lesionDraws + "; allowed: lesionMaxK >= 1, swapMaxK >= 0 (0: no swaps), lesionDraws >= 1");
    }
    if (testExamples < 0 || evalExamples < 0) {
      throw new IllegalArgumentException("testExamples=" + testExamples + ", evalExamples=" + evalExamples
          + "; allowed: >= 0 (0 = the whole split)");
    }
    if (!(plainMarginPoints >= 0) || Double.isInfinite(plainMarginPoints)) {
      throw new IllegalArgumentException("plainMarginPoints=" + plainMarginPoints + "; allowed: a finite value >= 0");
    }
    data = List.copyOf(data);
    seeds = List.copyOf(seeds);
  }

  private static void requireNet(String field, Net net, boolean required) {
    if (net == null || !net.present()) {
      if (required) {
        throw new IllegalArgumentException(field + ": none; allowed: {spec: NAME} to train it here, or {weights:"
            + " run:ID[/CELL] | CHECKPOINT} for trained weights");
      }
      return;
    }
    if (net.spec() != null) {
      SpecNames.parse(net.spec());
    }
  }

  /** The nets of the study by role, in order: resnet, plain, and stochastic-depth when configured. */
  public List<Role> roles() {
    return stochasticDepth == null ? List.of(Role.RESNET, Role.PLAIN) : List.of(Role.RESNET, Role.PLAIN,
        Role.STOCHASTIC_DEPTH);
  }

  /** The configured net of {@code role}. */
  public Net net(Role role) {
    return switch (role) {
      case RESNET -> resnet;
      case PLAIN -> plain;
      case STOCHASTIC_DEPTH -> stochasticDepth;
    };
  }

  /** The roles a net plays in the study. */
  public enum Role {
    RESNET("resnet"), PLAIN("plain"), STOCHASTIC_DEPTH("stochastic-depth");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    /** The name in records, cells and reports. */
    public String label() {
      return label;
    }
  }
}
