package org.resbench.harness.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.data.Batch;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.reference.ReferenceSession;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * Runs a {@link Scenario} on a backend and on the {@code reference} backend with identical weights
 * ({@link ConformanceFixtures#state}), batches, cotangents, gates and masks, and compares what came out
 * ({@link ScenarioResult}). Used by the conformance suite in the harness test-jar and by the parity
 * experiment. Inputs are chosen on the reference: seeded candidates are tried in turn until the reference's
 * ReLU margin over all of the scenario's passes reaches {@link Tolerances#RELU_MARGIN} (the best candidate
 * is used if none does, and the result says so).
 *
 * <p>Every session the runner opens is closed before {@link #run} returns. Not thread-safe (run scenarios
 * one at a time); cheap to construct.
 */
public final class ConformanceRunner {

  /**
   * The fixed settings of a run. Immutable.
   *
   * @param batchSize examples per batch (at least 2: a training step needs two values per BN channel)
   * @param steps k of the k-step scenarios
   * @param learningRate the rate of the first training step; step i of k uses {@code lr * (1 - 0.25 i)}
   * @param sgd momentum and weight decay of the training scenarios; weight decay far above the papers'
   *     1e-4 so that a missing or misplaced decay term shows (Nesterov is switched on by its scenario)
   * @param seed every fixture's seed
   * @param maxInputAttempts how many seeded input candidates to try for a safe ReLU margin
   */
  public record Settings(int batchSize, int steps, double learningRate, SgdConfig sgd, long seed,
      int maxInputAttempts) {
    /** Batch 4, 3 steps from lr 0.1, momentum 0.9, weight decay 0.01, up to 16 input candidates. */
    public static final Settings DEFAULT = new Settings(4, 3, 0.1, new SgdConfig(0.9, 0.01, false), 20261123L, 16);

    public Settings {
      if (batchSize < 2) {
        throw new IllegalArgumentException("batchSize=" + batchSize + "; allowed: 2 or more");
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps=" + steps + "; allowed: 1 or more");
      }
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException("learningRate=" + learningRate + "; allowed: a finite value > 0");
      }
      if (sgd == null || sgd.momentum() == 0) {
        throw new IllegalArgumentException("sgd=" + sgd + "; allowed: momentum > 0 (the scenarios test momentum and"
            + " Nesterov)");
      }
      if (maxInputAttempts < 1) {
        throw new IllegalArgumentException("maxInputAttempts=" + maxInputAttempts + "; allowed: 1 or more");
      }
    }
  }

  private final Backend candidate;
  private final Function<SgdConfig, SessionOptions> options;
  private final Settings settings;
  private final Backend oracle = new ReferenceBackend();

  /**
   * @param candidate the backend to check
   * @param options the session options to open it with, given the SGD settings a scenario needs
   * @param settings batch size, steps, seed
   */
  public ConformanceRunner(Backend candidate, Function<SgdConfig, SessionOptions> options, Settings settings) {
    if (candidate == null || options == null || settings == null) {
      throw new IllegalArgumentException("conformance runner: candidate, options and settings are required");
    }
    this.candidate = candidate;
    this.options = options;
    this.settings = settings;
  }

  /** Why {@code scenario} does not apply to {@code spec} at all, or null if it does. */
  public static String notApplicable(Scenario scenario, ModelSpec spec) {
    if (scenario.classifiersOnly() && spec.outputs() < 2) {
      return "'" + spec.name() + "' has a single output, so cross-entropy is constant; the scenario needs a"
          + " classifier";
    }
    if (spec.blocks().size() < 2 && (scenario == Scenario.GATES_LESION || scenario == Scenario.TRAIN_STEP_ZERO_GATE)) {
      return "'" + spec.name() + "' has fewer than 2 blocks; the scenario gates block 1";
    }
    return null;
  }

  /** Why the backend cannot run {@code scenario} (unavailable, or a capability it does not declare), or null. */
  public static String unsupported(Scenario scenario, Backend backend, Capabilities caps) {
    if (!caps.available()) {
      return "backend '" + backend.name() + "' is unavailable: " + caps.unavailableReason();
    }
    for (Capability c : scenario.required()) {
      if (!caps.can(c)) {
        return "backend '" + backend.name() + "' does not declare " + c + ", which '" + scenario.description()
            + "' needs";
      }
    }
    if (scenario.needsGradients() && !caps.can(Capability.INPUT_GRADIENTS)
        && !caps.can(Capability.PARAMETER_GRADIENTS)) {
      return "backend '" + backend.name() + "' declares neither INPUT_GRADIENTS nor PARAMETER_GRADIENTS";
    }
    return null;
  }

  /** Runs {@code scenario} on {@code spec}; a skipped result says why. Backend failures propagate. */
  public ScenarioResult run(Scenario scenario, ModelSpec spec) {
    String reason = notApplicable(scenario, spec);
    if (reason == null) {
      reason = unsupported(scenario, candidate, candidate.probe());
    }
    if (reason != null) {
      return ScenarioResult.skipped(scenario, spec.name(), candidate.name(), reason);
    }
    Capabilities caps = candidate.probe();
    ModelState state = ConformanceFixtures.state(spec, settings.seed());
    Procedure procedure = procedure(scenario, spec, caps);
    Outputs expected = null;
    double margin = -1;
    int attempt = -1;
    for (int a = 0; a < settings.maxInputAttempts(); a++) {
      Execution e = execute(oracle, spec, state, a, procedure,
          sgd -> SessionOptions.builder().optThreads(0).optSgd(sgd).build());
      if (e.margin > margin) {
        expected = e.outputs;
        margin = e.margin;
        attempt = a;
      }
      if (margin >= Tolerances.RELU_MARGIN) {
        break;
      }
    }
    Outputs actual = execute(candidate, spec, state, attempt, procedure, options).outputs;
    String context = spec.name() + ": " + candidate.name() + " vs reference";
    return new ScenarioResult(scenario, spec.name(), candidate.name(), compare(expected, actual, context), margin,
        attempt, null);
  }

  // ---- running a procedure on one backend ----

  /** One scenario's calls, the same on both backends. */
  private interface Procedure {
    void run(Opener open, Inputs in, Outputs out);
  }

  /** Opens sessions of one backend with the fixture state and remembers them, to read margins and close them. */
  private static final class Opener {
    private final Backend backend;
    private final ModelSpec spec;
    private final ModelState state;
    private final Function<SgdConfig, SessionOptions> options;
    private final List<Session> opened = new ArrayList<>();

    Opener(Backend backend, ModelSpec spec, ModelState state, Function<SgdConfig, SessionOptions> options) {
      this.backend = backend;
      this.spec = spec;
      this.state = state;
      this.options = options;
    }

    Session open(SgdConfig sgd) {
      Session s = backend.open(spec, state.copy(), options.apply(sgd));
      opened.add(s);
      return s;
    }
  }

  /** The seeded inputs of one attempt. */
  private final class Inputs {
    final ModelSpec spec;
    final int attempt;

    Inputs(ModelSpec spec, int attempt) {
      this.spec = spec;
      this.attempt = attempt;
    }

    Batch batch(int i) {
      return ConformanceFixtures.batch(spec, settings.batchSize(), settings.seed(), attempt * 1000 + i);
    }

    HostTensor cotangent() {
      return ConformanceFixtures.cotangent(spec, settings.batchSize(), settings.seed() + attempt);
    }

    /** Cross-entropy for classifiers, the random cotangent for single-output nets. */
    Objective objective(Batch b) {
      return spec.outputs() > 1 ? Objective.crossEntropy(b.labels()) : new Objective.OutputCotangent(cotangent());
    }
  }

  /** Named tensors a procedure produced, per quantity, in order, and extra absolute allowances by name. */
  private static final class Outputs {
    final Map<Quantity, Map<String, HostTensor>> byQuantity = new LinkedHashMap<>();
    final Map<String, Double> extraAbsolute = new LinkedHashMap<>();

    void add(Quantity q, String name, HostTensor t) {
      byQuantity.computeIfAbsent(q, k -> new LinkedHashMap<>()).put(name, t);
    }

    void addScalar(Quantity q, String name, double v) {
      add(q, name, HostTensor.of(new float[] {(float) v}, 1));
    }
  }

  private record Execution(Outputs outputs, double margin) {}

  private Execution execute(Backend backend, ModelSpec spec, ModelState state, int attempt, Procedure p,
      Function<SgdConfig, SessionOptions> opts) {
    Opener open = new Opener(backend, spec, state, opts);
    Outputs out = new Outputs();
    try {
      p.run(open, new Inputs(spec, attempt), out);
      double margin = Double.POSITIVE_INFINITY;
      for (Session s : open.opened) {
        if (s instanceof ReferenceSession r) {
          margin = Math.min(margin, r.reluMargin());
        }
      }
      return new Execution(out, margin);
    } finally {
      for (Session s : open.opened) {
        s.close();
      }
    }
  }

  private static List<Comparison> compare(Outputs expected, Outputs actual, String context) {
    List<Comparison> out = new ArrayList<>();
    expected.byQuantity.forEach((q, tensors) -> out.add(Comparison.of(q, context, tensors,
        actual.byQuantity.getOrDefault(q, Map.of()), expected.extraAbsolute)));
    return out;
  }

  // ---- the scenarios ----

  private Procedure procedure(Scenario scenario, ModelSpec spec, Capabilities caps) {
    boolean inputGrads = caps.can(Capability.INPUT_GRADIENTS);
    boolean paramGrads = caps.can(Capability.PARAMETER_GRADIENTS);
    SgdConfig sgd = settings.sgd();
    return switch (scenario) {
      case FORWARD_INFERENCE -> (open, in, out) -> {
        Session s = open.open(sgd);
        out.add(Quantity.LOGITS_INFERENCE, "logits",
            s.forward(in.batch(0).input(), BnMode.INFERENCE, BlockGates.inference(spec)));
      };
      case FORWARD_TRAIN -> (open, in, out) -> {
        Session s = open.open(sgd);
        out.add(Quantity.LOGITS_TRAIN, "logits", s.forward(in.batch(0).input(), BnMode.TRAIN, BlockGates.ones(spec)));
        addBuffers(out, Quantity.RUNNING_STATISTICS, spec, s.readState(), "");
      };
      case GRADIENTS_CROSS_ENTROPY -> (open, in, out) -> {
        Batch b = in.batch(0);
        addGradients(out, spec, "", false, open.open(sgd), GradientRequest.builder(b.input(),
            Objective.crossEntropy(b.labels())).optBnMode(BnMode.TRAIN).optGates(BlockGates.ones(spec))
            .optInputGradient(inputGrads).optParameterGradients(paramGrads).build());
      };
      case GRADIENTS_BN_INFERENCE -> (open, in, out) -> {
        Batch b = in.batch(0);
        addGradients(out, spec, "", false, open.open(sgd), GradientRequest.builder(b.input(),
            in.objective(b)).optBnMode(BnMode.INFERENCE).optGates(BlockGates.inference(spec))
            .optInputGradient(inputGrads).optParameterGradients(paramGrads).build());
      };
      case GRADIENTS_OUTPUT_COTANGENT -> (open, in, out) -> {
        Batch b = in.batch(0);
        addGradients(out, spec, "", false, open.open(sgd), GradientRequest.builder(b.input(),
            new Objective.OutputCotangent(in.cotangent())).optBnMode(BnMode.TRAIN).optGates(BlockGates.ones(spec))
            .optInputGradient(inputGrads).optParameterGradients(paramGrads).build());
      };
      case GRADIENTS_PATH_MASKED -> (open, in, out) -> {
        Batch b = in.batch(0);
        Session s = open.open(sgd);
        Map<String, PathMask> masks = new LinkedHashMap<>();
        masks.put(" (random path, fractional last block)", randomPath(spec));
        masks.put(" (all shortcuts)", PathMask.path(spec, java.util.Set.of()));
        masks.forEach((label, mask) -> addGradients(out, spec, label, true, s, GradientRequest.builder(
            b.input(), in.objective(b)).optBnMode(BnMode.TRAIN).optGates(BlockGates.inference(spec))
            .optPathMask(mask).optInputGradient(inputGrads).optParameterGradients(paramGrads).build()));
      };
      case GATES_LESION -> (open, in, out) -> gated(open.open(sgd), spec, in,
          BlockGates.lesion(BlockGates.ones(spec), 1), inputGrads, paramGrads, out);
      case GATES_FRACTIONAL -> (open, in, out) -> {
        float[] fractional = BlockGates.ones(spec).values();
        fractional[0] = 0.4f;
        gated(open.open(sgd), spec, in, BlockGates.of(fractional), inputGrads, paramGrads, out);
      };
      case TRAIN_STEP -> (open, in, out) -> oneStep(open.open(sgd), spec, in.batch(0), BlockGates.ones(spec), out);
      case TRAIN_STEP_ZERO_GATE -> (open, in, out) -> oneStep(open.open(sgd), spec, in.batch(0),
          BlockGates.lesion(BlockGates.ones(spec), 1), out);
      case TRAIN_K_STEPS -> (open, in, out) -> kSteps(open.open(sgd), spec, in, out);
      case TRAIN_K_STEPS_NESTEROV -> (open, in, out) -> kSteps(
          open.open(new SgdConfig(sgd.momentum(), sgd.weightDecay(), true)), spec, in, out);
      case TRAIN_AFTER_LOAD_STATE -> (open, in, out) -> {
        Session s = open.open(sgd);
        ModelState initial = s.readState();
        for (int i = 0; i < settings.steps(); i++) {
          Batch b = in.batch(i);
          s.trainStep(b.input(), b.labels(), BlockGates.ones(spec), settings.learningRate());
        }
        s.loadState(initial);
        oneStep(s, spec, in.batch(0), BlockGates.ones(spec), out);
      };
    };
  }

  private static void gated(Session s, ModelSpec spec, Inputs in, BlockGates gates, boolean inputGrads,
      boolean paramGrads, Outputs out) {
    Batch b = in.batch(0);
    out.add(Quantity.LOGITS_INFERENCE, "logits", s.forward(b.input(), BnMode.INFERENCE, gates));
    if (inputGrads || paramGrads) {
      addGradients(out, spec, "", false, s, GradientRequest.builder(b.input(), in.objective(b))
          .optBnMode(BnMode.TRAIN).optGates(gates).optInputGradient(inputGrads).optParameterGradients(paramGrads)
          .build());
    } else {
      out.add(Quantity.LOGITS_TRAIN, "logits", s.forward(b.input(), BnMode.TRAIN, gates));
    }
  }

  private void oneStep(Session s, ModelSpec spec, Batch b, BlockGates gates, Outputs out) {
    ModelState before = s.readState();
    StepResult r = s.trainStep(b.input(), b.labels(), gates, settings.learningRate());
    ModelState after = s.readState();
    out.addScalar(Quantity.LOSS, "loss", r.loss());
    out.add(Quantity.LOGITS_TRAIN, "logits", r.logits());
    addChanges(out, Quantity.PARAMETER_UPDATE, spec, before, after);
    addBuffers(out, Quantity.RUNNING_STATISTICS, spec, after, "");
  }

  private void kSteps(Session s, ModelSpec spec, Inputs in, Outputs out) {
    ModelState before = s.readState();
    boolean stochastic = spec.blocks().stream().anyMatch(b -> b.survivalProbability() < 1);
    SplittableRandom gateRng = Rngs.stream(settings.seed(), "conformance/gates");
    for (int i = 0; i < settings.steps(); i++) {
      Batch b = in.batch(i);
      BlockGates gates = stochastic ? BlockGates.sample(spec, gateRng) : BlockGates.ones(spec);
      StepResult r = s.trainStep(b.input(), b.labels(), gates, settings.learningRate() * (1 - 0.25 * i));
      out.addScalar(Quantity.LOSS, "loss at step " + i + " (gates " + gates + ")", r.loss());
    }
    ModelState after = s.readState();
    addChanges(out, Quantity.TRAJECTORY_PARAMETERS, spec, before, after);
    addBuffers(out, Quantity.TRAJECTORY_RUNNING_STATISTICS, spec, after, "");
  }

  /** A seeded random path (each block branch-only or shortcut-only) whose last block passes 0.25 / 0.6. */
  private PathMask randomPath(ModelSpec spec) {
    SplittableRandom r = Rngs.stream(settings.seed(), "conformance/path");
    int n = spec.blocks().size();
    float[] branch = new float[n];
    float[] shortcut = new float[n];
    for (int i = 0; i < n; i++) {
      boolean viaBranch = r.nextBoolean();
      branch[i] = viaBranch ? 1 : 0;
      shortcut[i] = viaBranch ? 0 : 1;
    }
    branch[n - 1] = 0.25f;
    shortcut[n - 1] = 0.6f;
    return PathMask.of(branch, shortcut);
  }

  /** Runs {@code request} on {@code s} and records objective, logits and whichever gradients came back. */
  private static void addGradients(Outputs out, ModelSpec spec, String label, boolean masked, Session s,
      GradientRequest request) {
    GradientResult g = s.gradients(request);
    BnMode mode = request.bnMode();
    out.addScalar(Quantity.LOSS, "objective" + label, g.objective());
    if (request.objective() instanceof Objective.OutputCotangent oc) {
      // sum(c * y) cancels: measure its error against the size of its terms (see Tolerances.LOSS).
      double terms = 0;
      for (int i = 0; i < g.output().size(); i++) {
        terms += Math.abs((double) oc.cotangent().data()[i] * g.output().data()[i]);
      }
      out.extraAbsolute.put("objective" + label, Tolerances.LOSS.relative() * terms);
    }
    out.add(mode == BnMode.TRAIN ? Quantity.LOGITS_TRAIN : Quantity.LOGITS_INFERENCE, "logits" + label, g.output());
    if (g.inputGradient() != null) {
      out.add(masked ? Quantity.MASKED_INPUT_GRADIENT : Quantity.INPUT_GRADIENT, "input" + label, g.inputGradient());
    }
    if (!g.parameterGradients().isEmpty()) {
      for (ParameterSpec p : spec.trainableParameters()) {
        out.add(masked ? Quantity.MASKED_PARAMETER_GRADIENT : Quantity.PARAMETER_GRADIENT, p.name() + label,
            g.parameterGradients().get(p.name()));
      }
    }
  }

  private static void addChanges(Outputs out, Quantity q, ModelSpec spec, ModelState before, ModelState after) {
    for (ParameterSpec p : spec.trainableParameters()) {
      float[] b = before.get(p.name()).data();
      float[] a = after.get(p.name()).data();
      float[] d = new float[b.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) ((double) a[i] - b[i]);
      }
      out.add(q, p.name(), HostTensor.of(d, p.shape().dims()));
    }
  }

  private static void addBuffers(Outputs out, Quantity q, ModelSpec spec, ModelState state, String label) {
    for (ParameterSpec p : spec.buffers()) {
      out.add(q, p.name() + label, state.get(p.name()));
    }
  }
}
