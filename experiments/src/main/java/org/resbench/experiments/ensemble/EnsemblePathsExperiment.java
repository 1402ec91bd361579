package org.resbench.experiments.ensemble;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.Progress;
import org.resbench.experiments.ensemble.EnsemblePathsConfig.Role;
import org.resbench.experiments.ensemble.EnsemblePathsData.LesionResult;
import org.resbench.experiments.ensemble.EnsemblePathsData.NetInfo;
import org.resbench.experiments.ensemble.EnsemblePathsData.PathGradientStats;
import org.resbench.experiments.ensemble.EnsemblePathsData.PathGradients;
import org.resbench.experiments.ensemble.EnsemblePathsData.Skip;
import org.resbench.experiments.ensemble.EnsemblePathsData.Verdict;
import org.resbench.experiments.lesion.Lesions;
import org.resbench.experiments.training.CellRunner;
import org.resbench.experiments.training.Cells;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainedWeights;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.RunStatus;
import org.resbench.results.training.Checkpoint;
import org.resbench.results.training.CheckpointFiles;

/**
 * Veit, Wilber, Belongie 2016, "Residual networks behave like ensembles of relatively shallow networks": the
 * path-length distribution of a ResNet (exact), the gradient that reaches the input through paths of each length
 * (Fig. 6) on trained and initial weights, the "effective paths" that carry most of it, and lesions at test time
 * (Fig. 3-5, 8: single blocks, k random blocks, k swapped pairs) of the ResNet, a plain net of the same depth and
 * optionally a stochastic-depth net, with computed verdicts.
 *
 * <p>Weights: each net either names trained weights ({@code weights: run:ID[/CELL]} or a checkpoint) or is trained
 * here, once per seed, on one backend ({@code trainBackend}) with checkpoints and resume; every backend then studies
 * the same weights, so their numbers can be compared. Path gradients need path masks and input gradients (skipped,
 * with the reason, on other backends); lesions need inference with gates only, so they run on every backend.
 * Stateless.
 */
public final class EnsemblePathsExperiment implements Experiment<EnsemblePathsConfig> {
  @Override
  public String name() {
    return "ensemble-paths";
  }

  @Override
  public String description() {
    return "Veit et al. 2016: path-length distribution, gradient per path length through path masks and the"
        + " effective paths (Fig. 6), lesions of single blocks, k blocks and k swapped pairs, ResNet vs plain"
        + " (Fig. 3-5)";
  }

  @Override
  public Class<EnsemblePathsConfig> configType() {
    return EnsemblePathsConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.INFERENCE);
  }

  /** The weights of one net for one seed, or why there are none. */
  record Weights(Role role, long seed, ModelState state, String source, boolean trainedHere, String failure) {}

  @Override
  public ExperimentResult run(EnsemblePathsConfig cfg, ExperimentContext ctx) {
    ImageData data = ctx.datasets().apply(cfg.data()).limited(cfg.evalExamples(), cfg.testExamples());
    List<String> messages = new ArrayList<>();
    Path resultsRoot = ctx.run().folder().getParent();

    // Nets with weights: read them now, so a wrong reference fails before any training.
    Map<Role, Checkpoint> given = new LinkedHashMap<>();
    Map<Role, String> givenFile = new LinkedHashMap<>();
    Map<Role, ModelSpec> specs = new LinkedHashMap<>();
    for (Role role : cfg.roles()) {
      EnsemblePathsConfig.Net net = cfg.net(role);
      if (net.weights() != null) {
        Path file = TrainedWeights.resolve(net.weights(), resultsRoot);
        Checkpoint c = CheckpointFiles.read(file);
        ModelSpec spec = c.state().spec();
        if (net.spec() != null && !Cells.fitToData(net.spec(), data).name().equals(spec.name())) {
          throw new IllegalArgumentException(fieldOf(role) + ".weights '" + net.weights() + "' hold '" + spec.name()
              + "' but " + fieldOf(role) + ".spec is '" + net.spec() + "'; allowed: the checkpoint's spec, or no spec");
        }
        given.put(role, c);
        givenFile.put(role, file.toString());
        specs.put(role, spec);
      } else {
        specs.put(role, Cells.fitToData(net.spec(), data));
      }
      requireRole(role, specs.get(role), data);
    }
    if (specs.get(Role.PLAIN).blocks().size() != specs.get(Role.RESNET).blocks().size()) {
      messages.add("the plain net '" + specs.get(Role.PLAIN).name() + "' has " + specs.get(Role.PLAIN).blocks().size()
          + " blocks and the ResNet '" + specs.get(Role.RESNET).name() + "' " + specs.get(Role.RESNET).blocks().size()
          + ": not the same depth, so the lesion comparison is not like for like");
    }

    // Nets without weights: trained here, one cell per role and seed, on one backend.
    List<CellRunner.Cell> cells = new ArrayList<>();
    Backend trainer = null;
    for (long seed : cfg.seeds()) {
      for (Role role : cfg.roles()) {
        if (!given.containsKey(role)) {
          if (trainer == null) {
            trainer = trainBackend(cfg, ctx);
          }
          cells.add(new CellRunner.Cell(role.label() + "-" + trainer.name() + "-s" + seed, role.label(),
              specs.get(role), trainer, seed, cfg.training().warmupSteps() > 0, null));
        }
      }
    }
    EnsemblePathsData before = (EnsemblePathsData) ctx.run().previous().orElse(null);
    PathDistribution distribution = PathDistribution.of(specs.get(Role.RESNET));
    List<TrainedRun> runs = cells.isEmpty() ? List.of() : Cells.train(cells, data, cfg.training(), ctx,
        before == null ? List.of() : before.runs(), sofar -> new EnsemblePathsData(data.description(), List.of(),
            sofar, distribution, List.of(), List.of(), List.of(), List.of()), "ensemble-paths: training");
    if (!cells.isEmpty()) {
      messages.add("weights: " + cells.stream().map(c -> c.group()).distinct().toList() + " trained here on "
          + trainer.name() + " (" + cfg.training().totalSteps(data.train().size()) + " steps, seeds " + cfg.seeds()
          + ") because no weights were given; name trained ones with " + cells.stream().map(c -> fieldOf(Role.valueOf(
              c.group().toUpperCase(Locale.ROOT).replace('-', '_'))) + ".weights").distinct().toList()
          + " (run:ID[/CELL] or a checkpoint)");
    }
    List<Weights> weights = new ArrayList<>();
    for (long seed : cfg.seeds()) {
      for (Role role : cfg.roles()) {
        if (given.containsKey(role)) {
          Checkpoint c = given.get(role);
          weights.add(new Weights(role, seed, c.state().model(), cfg.net(role).weights() + " (" + givenFile.get(role)
              + ": step " + c.about().step() + " of " + c.about().totalSteps() + ", trained on " + c.about().backend()
              + ", seed " + c.about().seed() + ")", false, null));
          continue;
        }
        int i = IntStream.range(0, cells.size()).filter(j -> cells.get(j).group().equals(role.label())
            && cells.get(j).seed() == seed).findFirst().orElseThrow();
        TrainedRun r = runs.get(i);
        if (!TrainedRun.COMPLETED.equals(r.status()) || r.checkpoint() == null) {
          weights.add(new Weights(role, seed, null, "trained here on " + r.backend() + " (cell " + r.cell() + ")", true,
              "training " + r.status() + (r.reason() == null ? "" : ": " + r.reason())));
          continue;
        }
        Checkpoint c = CheckpointFiles.read(ctx.run().folder().resolve(r.checkpoint()));
        weights.add(new Weights(role, seed, c.state().model(), "trained here on " + r.backend() + " (cell " + r.cell()
            + ", " + r.history().steps() + " steps, checkpoint " + r.checkpoint() + ")", true, null));
      }
    }
    for (Weights w : weights) {
      if (w.failure() != null) {
        messages.add(w.role().label() + " seed " + w.seed() + ": no weights (" + w.failure() + "); its lesions"
            + (w.role() == Role.RESNET ? " and path gradients" : "") + " are skipped");
      }
    }

    // Every backend: path gradients (where it can), then lesions of every net.
    List<PathGradients> gradients = new ArrayList<>();
    List<LesionResult> lesions = new ArrayList<>();
    List<Skip> skips = new ArrayList<>();
    boolean failed = false;
    for (Backend b : ctx.backends()) {
      Capabilities caps = b.probe();
      boolean paths = caps.can(Capability.PATH_MASKS) && caps.can(Capability.INPUT_GRADIENTS);
      if (!paths) {
        skips.add(new Skip(b.name(), "path gradients", "needs path masks and input gradients, which " + b.name()
            + " cannot do (it can: " + String.join(", ", caps.supported().stream().map(c -> c.name().toLowerCase(
            Locale.ROOT).replace('_', '-')).sorted().toList()) + "); lesions need inference only"));
      }
      try {
        if (paths) {
          gradients.addAll(pathGradients(cfg, ctx, b, data, weights));
        }
        for (Weights w : weights) {
          if (w.state() != null) {
            lesions.add(lesions(cfg, ctx, b, data, w));
          }
        }
      } catch (BackendException e) {
        failed = true;
        skips.add(new Skip(b.name(), "the rest of its work", "failed: " + e.getMessage()));
        messages.add("backend " + b.name() + " failed: " + e.getMessage());
      }
      ctx.run().save(new EnsemblePathsData(data.description(), netInfos(weights, specs, lesions), runs, distribution,
          gradients, lesions, skips, List.of()), List.of());
    }
    List<NetInfo> nets = netInfos(weights, specs, lesions);
    List<Verdict> verdicts = verdicts(cfg, ctx.backends().stream().map(Backend::name).toList(), distribution,
        gradients, lesions);
    for (Backend b : ctx.backends()) {
      summaryLine(b.name(), cfg, gradients, lesions).ifPresent(messages::add);
    }
    boolean trained = weights.stream().allMatch(w -> w.failure() == null);
    return new ExperimentResult(trained && !failed ? RunStatus.PASSED : RunStatus.INCOMPLETE, new EnsemblePathsData(
        data.description(), nets, runs, distribution, gradients, lesions, skips, verdicts), messages);
  }

  private static String fieldOf(Role role) {
    return role == Role.STOCHASTIC_DEPTH ? "stochasticDepth" : role.label();
  }

  /** Checks that a net fits its role and the data. */
  static void requireRole(Role role, ModelSpec spec, ImageData data) {
    boolean ok = switch (role) {
      case RESNET -> spec.blocks().stream().allMatch(Block::residual)
          && spec.blocks().stream().allMatch(b -> b.survivalProbability() == 1);
      case PLAIN -> spec.blocks().stream().noneMatch(Block::residual);
      case STOCHASTIC_DEPTH -> spec.blocks().stream().allMatch(Block::residual)
          && spec.blocks().stream().anyMatch(b -> b.survivalProbability() < 1);
    };
    if (!ok || spec.blocks().isEmpty()) {
      throw new IllegalArgumentException(fieldOf(role) + ": '" + spec.name() + "' is not a " + role.label()
          + " net; allowed: " + switch (role) {
            case RESNET -> "a ResNet without stochastic depth, e.g. resnet-20";
            case PLAIN -> "a plain net, e.g. plain-20";
            case STOCHASTIC_DEPTH -> "a stochastic-depth ResNet, e.g. resnet-20-sd";
          });
    }
    if (!spec.inputShape().equals(data.train().sampleShape()) || spec.outputs() != data.train().numClasses()) {
      throw new IllegalArgumentException(fieldOf(role) + ": '" + spec.name() + "' takes " + spec.inputShape() + " with "
          + spec.outputs() + " outputs but " + data.name() + " has " + data.train().sampleShape() + " with "
          + data.train().numClasses() + " classes; allowed: weights of a net for this data");
    }
  }

  /** The backend nets without weights are trained on. */
  private static Backend trainBackend(EnsemblePathsConfig cfg, ExperimentContext ctx) {
    List<Backend> trainers = ctx.backends().stream().filter(b -> b.probe().can(Capability.TRAINING)).toList();
    if (cfg.trainBackend().equals("auto")) {
      if (trainers.isEmpty()) {
        throw new IllegalArgumentException("no chosen backend can train the nets that have no weights (" + ctx
            .backends().stream().map(Backend::name).toList() + "); allowed: give every net's weights (run:ID[/CELL]"
            + " or a checkpoint), or choose a training backend too, e.g. --backends ort-cpu,djl-onnxruntime");
      }
      return trainers.get(0);
    }
    return trainers.stream().filter(b -> b.name().equals(cfg.trainBackend())).findFirst().orElseThrow(
        () -> new IllegalArgumentException("trainBackend=" + cfg.trainBackend() + "; allowed: auto, or one of the"
            + " chosen backends that train: " + trainers.stream().map(Backend::name).toList()));
  }

  /** The ResNet's path gradients on one backend: trained weights (and initial ones) for every seed. */
  private static List<PathGradients> pathGradients(EnsemblePathsConfig cfg, ExperimentContext ctx, Backend b,
      ImageData data, List<Weights> weights) {
    List<PathGradients> out = new ArrayList<>();
    BnMode mode = cfg.gradientBnMode().equals("train") ? BnMode.TRAIN : BnMode.INFERENCE;
    for (Weights w : weights) {
      if (w.role() != Role.RESNET || w.state() == null) {
        continue;
      }
      List<Map.Entry<String, ModelState>> states = new ArrayList<>();
      states.add(Map.entry(EnsemblePathsData.TRAINED, w.state()));
      if (cfg.atInitialisation()) {
        states.add(Map.entry(EnsemblePathsData.INITIALISATION, Initializer.initialize(w.state().spec(), w.seed())));
      }
      for (Map.Entry<String, ModelState> s : states) {
        int n = s.getValue().spec().blocks().size();
        PathGradientSampler.Result r;
        try (Progress p = ctx.progress().start("path gradients on " + b.name() + " (" + s.getKey() + ", seed "
            + w.seed() + ")", (long) (n + 1) * cfg.samplesPerLength())) {
          r = PathGradientSampler.sample(b, s.getValue(), data.train(), cfg.samplesPerLength(), cfg.gradientBatch(),
              mode, w.seed(), cfg.workers(), ctx.options(), p);
        }
        int count = (n + 1) * cfg.samplesPerLength();
        out.add(new PathGradients(b.name(), w.role().label(), s.getValue().spec().name(), s.getKey(), w.seed(),
            cfg.gradientBatch(), cfg.gradientBnMode(), cfg.workers(), r.seconds(), count / r.seconds(), r.magnitudes(),
            summary(r.magnitudes(), cfg.effectiveFraction())));
      }
    }
    return out;
  }

  /** The summary of sampled magnitudes, or null when there is none (non-finite or all-zero gradients). */
  static PathGradientStats summary(double[][] magnitudes, double fraction) {
    try {
      return PathGradientSampler.summarise(magnitudes, fraction);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The lesions of one net on one backend. */
  private static LesionResult lesions(EnsemblePathsConfig cfg, ExperimentContext ctx, Backend b, ImageData data,
      Weights w) {
    ModelSpec spec = w.state().spec();
    int n = spec.blocks().size();
    List<Integer> ks = IntStream.rangeClosed(1, Math.min(cfg.lesionMaxK(), n)).boxed().toList();
    int pairs = Lesions.swappablePairs(spec).size();
    List<Integer> swapKs = IntStream.rangeClosed(1, Math.min(cfg.swapMaxK(), pairs)).boxed().toList();
    long start = System.nanoTime();
    try (Progress p = ctx.progress().start("lesions of " + w.role().label() + " on " + b.name() + " (seed "
        + w.seed() + ")", 3);
        Session s = b.open(spec, w.state(), ctx.options())) {
      Lesions.SingleBlock single = Lesions.singleBlock(s, data.test());
      p.step("single blocks done");
      List<Lesions.RandomDeletions> deletions = Lesions.randomDeletions(s, data.test(), ks, cfg.lesionDraws(),
          w.seed());
      p.step("random deletions done");
      List<Lesions.RandomSwaps> swaps = swapKs.isEmpty() ? List.of() : Lesions.randomSwaps(s, data.test(), swapKs,
          cfg.lesionDraws(), w.seed());
      p.step("swaps done");
      return new LesionResult(b.name(), w.role().label(), spec.name(), w.seed(), data.test().size(), single, deletions,
          swaps, (System.nanoTime() - start) / 1e9);
    }
  }

  private static List<NetInfo> netInfos(List<Weights> weights, Map<Role, ModelSpec> specs,
      List<LesionResult> lesions) {
    List<NetInfo> out = new ArrayList<>();
    for (Weights w : weights) {
      Optional<LesionResult> first = lesions.stream().filter(l -> l.role().equals(w.role().label())
          && l.seed() == w.seed()).findFirst();
      out.add(new NetInfo(w.role().label(), specs.get(w.role()).name(), w.seed(), w.failure() == null ? w.source()
          : w.source() + ": " + w.failure(), w.trainedHere(), w.state() == null ? null : w.state().sha256(),
          first.map(l -> l.single().wholeErrorPercent()).orElse(null)));
    }
    return out;
  }

  /** The path-gradient magnitudes of one backend and weights pooled over seeds, {@code [k][samples]}. */
  static double[][] pooled(List<PathGradients> gs) {
    int lengths = gs.get(0).magnitudes().length;
    double[][] out = new double[lengths][];
    for (int k = 0; k < lengths; k++) {
      final int kk = k;
      out[k] = gs.stream().flatMapToDouble(g -> java.util.Arrays.stream(g.magnitudes()[kk])).toArray();
    }
    return out;
  }

  /** Mean over blocks and seeds of (error with one block deleted − intact error), percentage points. */
  static double meanSingleIncrease(List<LesionResult> ls) {
    return ls.stream().flatMapToDouble(l -> java.util.Arrays.stream(l.single().errorPercent())
        .map(e -> e - l.single().wholeErrorPercent())).average().orElse(Double.NaN);
  }

  /** Mean over k, draws and seeds of (error with k random blocks deleted − intact error), percentage points. */
  static double meanDeletionIncrease(List<LesionResult> ls) {
    return ls.stream().flatMapToDouble(l -> l.deletions().stream().flatMapToDouble(d -> java.util.Arrays.stream(
        d.errorPercent()).map(e -> e - l.single().wholeErrorPercent()))).average().orElse(Double.NaN);
  }

  /** The computed verdicts, per backend. */
  public static List<Verdict> verdicts(EnsemblePathsConfig cfg, List<String> backends,
      PathDistribution distribution, List<PathGradients> gradients, List<LesionResult> lesions) {
    List<Verdict> out = new ArrayList<>();
    for (String b : backends) {
      for (String which : List.of(EnsemblePathsData.TRAINED, EnsemblePathsData.INITIALISATION)) {
        List<PathGradients> gs = gradients.stream().filter(g -> g.backend().equals(b) && g.weights().equals(which))
            .toList();
        if (gs.isEmpty()) {
          continue;
        }
        PathGradientStats s = summary(pooled(gs), cfg.effectiveFraction());
        if (s == null) {
          out.add(new Verdict(b, "decay", false, which + " weights: the path-gradient magnitudes are not finite or"
              + " all 0, so nothing can be derived from them"));
          continue;
        }
        out.add(decayVerdict(b, which, s, gs.size()));
        out.add(rangeVerdict(b, which, s, distribution.residualBlocks()));
      }
      List<LesionResult> res = lesions.stream().filter(l -> l.backend().equals(b) && l.role().equals("resnet"))
          .toList();
      List<LesionResult> plain = lesions.stream().filter(l -> l.backend().equals(b) && l.role().equals("plain"))
          .toList();
      if (!res.isEmpty() && !plain.isEmpty()) {
        out.add(plainVerdict(b, meanSingleIncrease(res), meanSingleIncrease(plain), cfg.plainMarginPoints()));
      }
      List<LesionResult> sd = lesions.stream().filter(l -> l.backend().equals(b) && l.role().equals("stochastic-depth"))
          .toList();
      if (!res.isEmpty() && !sd.isEmpty()) {
        double r = meanDeletionIncrease(res);
        double d = meanDeletionIncrease(sd);
        out.add(new Verdict(b, "stochastic-depth", d < r, String.format(Locale.ROOT, "deleting k random blocks"
            + " raises the stochastic-depth net's error by %.2f points on average (k = 1..K, draws, seeds) and the"
            + " ResNet's by %.2f: %s (Veit et al. Fig. 8: nets trained with stochastic depth are more robust;"
            + " criterion: a smaller mean increase)", d, r, d < r ? "more robust, as the paper says"
            : "NOT more robust here")));
      }
    }
    return out;
  }

  /** One line per backend for the run's notes: the headline numbers (the verdicts are in the record and report). */
  static Optional<String> summaryLine(String backend, EnsemblePathsConfig cfg, List<PathGradients> gradients,
      List<LesionResult> lesions) {
    List<String> parts = new ArrayList<>();
    List<PathGradients> trained = gradients.stream().filter(g -> g.backend().equals(backend)
        && g.weights().equals(EnsemblePathsData.TRAINED)).toList();
    PathGradientStats s = trained.isEmpty() ? null : summary(pooled(trained), cfg.effectiveFraction());
    if (s != null) {
      int n = s.mean().length - 1;
      parts.add(String.format(Locale.ROOT, "effective paths %d-%d of %d (%.2f-%.2f of n, %s of the paths; weighted"
          + " mean length %.2f)", s.effectiveFrom(), s.effectiveTo(), n, s.effectiveFrom() / (double) n,
          s.effectiveTo() / (double) n, PathDistribution.percent(new java.math.BigDecimal(s.pathShareExact())),
          s.weightedMeanLength()));
      if (s.decay() != null) {
        parts.add(String.format(Locale.ROOT, "gradient magnitude x%.3f per block (R² %.2f)", s.decay().rate(),
            s.decay().r2()));
      }
    }
    gradients.stream().filter(g -> g.backend().equals(backend)).mapToDouble(PathGradients::samplesPerSecond)
        .average().ifPresent(v -> parts.add(String.format(Locale.ROOT, "%.2f path-gradient samples/s", v)));
    List<LesionResult> res = lesions.stream().filter(l -> l.backend().equals(backend) && l.role().equals("resnet"))
        .toList();
    List<LesionResult> plain = lesions.stream().filter(l -> l.backend().equals(backend) && l.role().equals("plain"))
        .toList();
    if (!res.isEmpty() && !plain.isEmpty()) {
      parts.add(String.format(Locale.ROOT, "one block deleted: +%.2f points (ResNet) vs +%.2f (plain)",
          meanSingleIncrease(res), meanSingleIncrease(plain)));
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(backend + " (trained weights): " + String.join("; ",
        parts));
  }

  static Verdict decayVerdict(String backend, String which, PathGradientStats s, int seeds) {
    if (s.decay() == null) {
      return new Verdict(backend, "decay", false, which + " weights: too few path lengths with a positive mean"
          + " magnitude to fit a decay");
    }
    boolean holds = s.decay().rate() < 1 && s.decay().r2() >= 0.9;
    return new Verdict(backend, "decay", holds, String.format(Locale.ROOT, "%s weights%s: the mean gradient"
        + " magnitude changes by a factor b = %.3f per block of path length (fit a·b^k over k = 1..%d on the log"
        + " scale, R² = %.3f): %s (criterion: b < 1 and R² >= 0.9; Veit et al.: it falls exponentially)", which,
        seeds > 1 ? ", " + seeds + " seeds pooled" : "", s.decay().rate(), s.mean().length - 1, s.decay().r2(),
        holds ? "falls exponentially with k" : s.decay().rate() >= 1 ? "does NOT fall with k"
            : "falls, but not cleanly exponentially"));
  }

  static Verdict rangeVerdict(String backend, String which, PathGradientStats s, int n) {
    boolean shallow = s.weightedMeanLength() < n / 2.0;
    return new Verdict(backend, "effective-range", shallow, String.format(Locale.ROOT, "%s weights: paths of"
        + " length %d-%d of %d (%.2f-%.2f of n) carry %.1f%% of the total gradient and are %s of all 2^%d paths; the"
        + " gradient-weighted mean path length is %.2f (%.2f of n) against %s for a typical path: %s (criterion: a"
        + " weighted mean below n/2; Veit et al., ResNet-110: 5-17 of 54, 0.09-0.31 of n, 0.45%% of the paths)",
        which, s.effectiveFrom(), s.effectiveTo(), n, s.effectiveFrom() / (double) n, s.effectiveTo() / (double) n,
        100 * s.effectiveTotalShare(), PathDistribution.percent(new java.math.BigDecimal(s.pathShareExact())), n,
        s.weightedMeanLength(), s.weightedMeanLength() / n, java.math.BigDecimal.valueOf(n / 2.0).stripTrailingZeros()
            .toPlainString(), shallow ? "the gradient comes from paths shorter than the typical path"
            : "the gradient does NOT come from paths shorter than the typical path"));
  }

  static Verdict plainVerdict(String backend, double res, double plain, double margin) {
    boolean holds = plain - res >= margin;
    return new Verdict(backend, "plain-vs-resnet", holds, String.format(Locale.ROOT, "deleting a single block"
        + " raises the test error by %.2f points on average for the plain net and by %.2f for the ResNet: the plain"
        + " net's lesion error is %s (criterion: at least %.0f points more; Veit et al.: a ResNet barely changes, a"
        + " plain net drops towards chance)", plain, res, holds ? "much worse" : "NOT much worse", margin));
  }
}
