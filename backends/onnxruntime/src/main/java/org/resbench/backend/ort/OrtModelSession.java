package org.resbench.backend.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.resbench.backend.ort.onnx.GraphNames;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.GraphTarget;
import org.resbench.backend.ort.onnx.SpecGraphs;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SessionGuard;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * A spec loaded into ONNX Runtime. Each graph (inference, forward with batch statistics, gradients, training step)
 * is generated and turned into an ONNX Runtime session the first time it is needed and then reused; the batch
 * dimension is dynamic. Parameters, momentum buffers and BatchNorm statistics live in native memory twice
 * ({@link StateBuffers}): a training step feeds the current set and writes the new state straight into the other set
 * (its outputs pinned there), so a step is one run that allocates no state and copies nothing to Java until
 * {@link #readState()}. Inference uses a graph with the weights as
 * initializers (ONNX Runtime then blocks the convolutions and folds BatchNorm into them itself), rebuilt on the first
 * inference after the weights changed. On the CPU, graphs are built for {@link GraphTarget#ortCpu}: those with the
 * weights as inputs (training step, gradients, forward with batch statistics) keep their activations in ONNX
 * Runtime's channel-blocked layout where the spec allows it ({@code SpecGraphs.usesNchwc}), with the blocked
 * filters computed from the fed weights in every run; on CUDA they are {@link GraphTarget#PORTABLE}.
 *
 * <p>Owns every native object it creates and releases them in {@link #close()} (idempotent); any other call
 * after close throws {@link IllegalStateException}. Not thread-safe.
 */
final class OrtModelSession implements Session {
  private final String backendName;
  private final OrtRuntime rt;
  private final boolean cuda;
  private final ModelSpec spec;
  private final SessionOptions options;
  private final Staging staging;
  private final Map<GraphKey, OrtSession> sessions = new HashMap<>();
  private final Map<Boolean, OrtSession> inference = new HashMap<>();
  private final Map<Boolean, Long> inferenceVersion = new HashMap<>();
  /** Parameters, statistics and momentum buffers (current and next), by graph input name. */
  private final StateBuffers state;
  /** What the graphs with the weights as inputs are specialised for. */
  private final GraphTarget target;

  /**
   * The largest batch whose training step forms weight gradients over the whole batch at once rather than over
   * {@link GraphTarget#weightGradientChunks} slices: slices pay where a batch's patches outgrow the cache (16 images
   * per
   * slice at batch 128), while for a few images they only multiply the nodes, whose fixed costs dominate small steps.
   */
  static final int WHOLE_BATCH_WEIGHT_GRADIENTS_UP_TO = 16;

  /**
   * The largest batch whose training step runs the standard-operator graph even where the blocked one exists: for a few
   * images the blocked layout's extra nodes (views, filter reorders, conversions) cost more than its faster
   * convolutions save (ResNet-20, measured side by side on two busy cores: the standard graph's step took 0.78 of the
   * blocked one's at batch 1, 0.89 at 2, 0.96 at 4, and 1.1 at 8).
   */
  static final int STANDARD_OPERATORS_UP_TO = 4;

  /** A graph session: the plan, and the target it was built for. */
  private record GraphKey(GraphPlan plan, GraphTarget target) {}
  private final SessionGuard guard;
  private long stateVersion;

  OrtModelSession(String backendName, OrtRuntime rt, boolean cuda, ModelSpec spec, ModelState state,
      SessionOptions options) {
    this(backendName, rt, cuda, spec, state, options,
        (cuda ? GraphTarget.PORTABLE : GraphTarget.ortCpu(rt.nchwcBlock())).withConditionalBlocks(
            !"false".equalsIgnoreCase(System.getProperty(CONDITIONAL_BLOCKS_PROPERTY))));
  }

  /**
   * System property, read when a session opens: {@code false} makes gated training steps compute every block's branch
   * (a dropped one multiplied by 0) instead of skipping it ({@link GraphTarget#conditionalBlocks}); for measurements.
   */
  static final String CONDITIONAL_BLOCKS_PROPERTY = "resbench.ort.conditionalBlocks";

  /** With the graphs' target given, so that tests can compare targets on one machine. */
  OrtModelSession(String backendName, OrtRuntime rt, boolean cuda, ModelSpec spec, ModelState state,
      SessionOptions options, GraphTarget target) {
    this.backendName = backendName;
    this.guard = new SessionGuard(backendName, spec);
    this.target = target;
    this.rt = rt;
    this.cuda = cuda;
    this.spec = spec;
    this.options = options;
    this.staging = new Staging(rt.env);
    StateBuffers buffers = null;
    try {
      buffers = engineCall("allocating the state", () -> new StateBuffers(rt.env, spec));
    } catch (RuntimeException e) {
      staging.close();
      throw e;
    }
    this.state = buffers;
    try {
      loadState(state);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public ModelSpec spec() {
    guard.requireOpen();
    return spec;
  }

  @Override
  public String backendName() {
    guard.requireOpen();
    return backendName;
  }

  @Override
  public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
    guard.requireOpen();
    SessionChecks.requireForward(spec, input, bnMode, gates);
    GraphPlan plan = GraphPlan.forward(bnMode, !gates.allOnes());
    return engineCall("forward pass", () -> {
      boolean inline = bnMode == BnMode.INFERENCE;
      Map<String, OnnxTensor> feeds = feeds(plan, inline, input, gates, null, null, 0);
      OrtSession s = inline ? inferenceSession(plan.gated()) : session(plan);
      // The logits go straight into a reused buffer (a pinned output): no output tensor is made per call.
      long[] shape = {input.dim(0), spec.outputs()};
      Map<String, OnnxTensor> pinned = Map.of(GraphNames.LOGITS, staging.output(GraphNames.LOGITS, shape));
      try (OrtSession.Result r = s.run(feeds, pinned)) {
        return HostTensor.of(staging.read(GraphNames.LOGITS), input.dim(0), spec.outputs());
      }
    });
  }

  /**
   * The values at the named probe points, from a forward graph that exposes every probe point (weights as inputs,
   * so it needs no rebuild after training); only the requested outputs are fetched.
   */
  @Override
  public Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
      List<String> probePoints) {
    guard.requireOpen();
    SessionChecks.requireActivations(spec, input, bnMode, gates, probePoints);
    java.util.LinkedHashSet<String> outputs = new java.util.LinkedHashSet<>();
    for (String p : probePoints) {
      outputs.add(GraphNames.probe(p));
    }
    GraphPlan plan = GraphPlan.activations(bnMode, !gates.allOnes());
    return engineCall("activations", () -> {
      Map<String, HostTensor> out = new LinkedHashMap<>();
      Map<String, OnnxTensor> feeds = feeds(plan, false, input, gates, null, null, 0);
      OrtSession s = session(plan);
      if (outputs.isEmpty()) {
        return out;
      }
      try (OrtSession.Result r = s.run(feeds, outputs)) {
        for (String p : probePoints) {
          out.put(p, tensor(r, GraphNames.probe(p)));
        }
      }
      return out;
    });
  }

  @Override
  public GradientResult gradients(GradientRequest request) {
    guard.requireOpen();
    SessionChecks.requireGradients(spec, request);
    BlockGates gates = request.gatesFor(spec);
    PathMask mask = request.pathMaskFor(spec);
    Objective obj = request.objective();
    GraphPlan plan = GraphPlan.gradients(request.bnMode(), !gates.allOnes(), !mask.isNone(),
        obj instanceof Objective.CrossEntropy ? GraphPlan.ObjectiveKind.CROSS_ENTROPY
            : GraphPlan.ObjectiveKind.OUTPUT_COTANGENT, request.inputGradient(), request.parameterGradients());
    return engineCall("gradient computation", () -> {
      Map<String, OnnxTensor> feeds = feeds(plan, false, request.input(), gates, mask, obj, 0);
      try (OrtSession.Result r = session(plan).run(feeds)) {
        double objective = scalar(r, GraphNames.OBJECTIVE);
        HostTensor logits = tensor(r, GraphNames.LOGITS);
        HostTensor dx = request.inputGradient() ? tensor(r, GraphNames.INPUT_GRADIENT) : null;
        Map<String, HostTensor> grads = new LinkedHashMap<>();
        if (request.parameterGradients()) {
          for (ParameterSpec p : spec.trainableParameters()) {
            grads.put(p.name(), tensor(r, GraphNames.gradient(p.name())));
          }
        }
        return new GradientResult(objective, logits, dx, grads);
      }
    });
  }

  @Override
  public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate) {
    guard.requireOpen();
    SessionChecks.requireTrainStep(spec, input, labels, gates, learningRate);
    // With conditional blocks, every step runs the gated graph (all gates 1 included): its If-per-block structure costs
    // nothing measurable when every branch runs, and ONNX Runtime creates its session several times faster than the
    // flat graph's (whose memory planning grows about quadratically with the node count).
    GraphPlan plan = GraphPlan.trainStep(!gates.allOnes() || (target.conditionalBlocks() && !spec.blocks().isEmpty()));
    return engineCall("training step", () -> {
      Map<String, OnnxTensor> feeds = feeds(plan, false, input, gates, null, Objective.crossEntropy(labels),
          (float) learningRate);
      // Every output is pinned: the new state into the other set of state buffers, the loss and logits into staged
      // tensors; the run creates no output tensors.
      Map<String, OnnxTensor> next = state.next();
      Map<String, OnnxTensor> pinned = new HashMap<>();
      for (ParameterSpec p : spec.parameters()) {
        pinned.put(GraphNames.updated(p.name()), next.get(p.name()));
        if (p.trainable()) {
          pinned.put(GraphNames.newVelocity(p.name()), next.get(GraphNames.velocity(p.name())));
        }
      }
      long[] logitsShape = {input.dim(0), spec.outputs()};
      pinned.put(GraphNames.LOGITS, staging.output(GraphNames.LOGITS, logitsShape));
      pinned.put(GraphNames.OBJECTIVE, staging.output(GraphNames.OBJECTIVE, new long[0]));
      session(plan, input.dim(0)).run(feeds, pinned).close();
      state.advance();
      stateVersion++;
      return new StepResult(staging.read(GraphNames.OBJECTIVE)[0],
          HostTensor.of(staging.read(GraphNames.LOGITS), input.dim(0), spec.outputs()));
    });
  }

  @Override
  public ModelState readState() {
    guard.requireOpen();
    LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      out.put(p.name(), HostTensor.of(state.read(p.name()), p.shape().dims()));
    }
    return new ModelState(spec, out);
  }

  @Override
  public void loadState(ModelState state) {
    guard.requireOpen();
    SessionChecks.requireStateFor(spec, state);
    replaceState(spec, p -> state.get(p.name()).data(), p -> new float[p.shape().size()]);
  }

  @Override
  public TrainingState readTrainingState() {
    guard.requireOpen();
    LinkedHashMap<String, double[]> values = new LinkedHashMap<>();
    LinkedHashMap<String, double[]> momentum = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      values.put(p.name(), TrainingState.widen(state.read(p.name())));
      if (p.trainable()) {
        momentum.put(p.name(), TrainingState.widen(state.read(GraphNames.velocity(p.name()))));
      }
    }
    return new TrainingState(spec, TrainingState.Precision.FLOAT32, values, momentum);
  }

  @Override
  public void loadTrainingState(TrainingState state) {
    guard.requireOpen();
    SessionChecks.requireTrainingStateFor(spec, state);
    replaceState(spec, p -> TrainingState.narrow(state.values().get(p.name())),
        p -> state.momentumFloats(p.name()));
  }

  /** Overwrites every parameter and statistic, and the momentum buffer of every trainable one. */
  private void replaceState(ModelSpec spec, java.util.function.Function<ParameterSpec, float[]> value,
      java.util.function.Function<ParameterSpec, float[]> velocity) {
    for (ParameterSpec p : spec.parameters()) {
      state.write(p.name(), value.apply(p));
      if (p.trainable()) {
        state.write(GraphNames.velocity(p.name()), velocity.apply(p));
      }
    }
    stateVersion++;
  }

  @Override
  public void close() {
    if (!guard.close()) {
      return;
    }
    List<AutoCloseable> all = new ArrayList<>(sessions.values());
    all.addAll(inference.values());
    all.add(staging);
    if (state != null) {
      all.add(state);
    }
    sessions.clear();
    inference.clear();
    closeAll(all);
  }

  // ---- internals ----

  /**
   * The feeds of one run of a graph of {@code plan}, for every kind of graph: the input; the gates when the plan is
   * gated and the path masks when it is masked; the labels or the cotangent of its objective; for a training step
   * the learning rate and the momentum buffers; and the parameters and statistics unless the graph holds them as
   * initializers ({@code inlineWeights}). Input tensors are staged (reused per name); state tensors are the current
   * ones.
   */
  private Map<String, OnnxTensor> feeds(GraphPlan plan, boolean inlineWeights, HostTensor input, BlockGates gates,
      PathMask mask, Objective objective, float learningRate) throws OrtException {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    feeds.put(GraphNames.INPUT, staging.floats(GraphNames.INPUT, input.data(), input.longShape()));
    if (plan.gated()) {
      feeds.put(GraphNames.GATES, staging.floats(GraphNames.GATES, gates.values(), new long[] {gates.size()}));
    }
    if (plan.masked()) {
      long[] nb = {mask.size()};
      feeds.put(GraphNames.MASK_BRANCH, staging.floats(GraphNames.MASK_BRANCH, mask.branchFactors(), nb));
      feeds.put(GraphNames.MASK_SHORTCUT, staging.floats(GraphNames.MASK_SHORTCUT, mask.shortcutFactors(), nb));
    }
    if (objective instanceof Objective.CrossEntropy ce) {
      feeds.put(GraphNames.LABELS, staging.longs(GraphNames.LABELS, ce.labels(), new long[] {input.dim(0)}));
    } else if (objective instanceof Objective.OutputCotangent oc) {
      feeds.put(GraphNames.COTANGENT, staging.floats(GraphNames.COTANGENT, oc.cotangent().data(),
          oc.cotangent().longShape()));
    }
    boolean step = plan.purpose() == GraphPlan.Purpose.TRAIN_STEP;
    if (step) {
      feeds.put(GraphNames.LEARNING_RATE, staging.scalar(GraphNames.LEARNING_RATE, learningRate));
    }
    if (!inlineWeights) {
      Map<String, OnnxTensor> live = state.current();
      for (ParameterSpec p : spec.parameters()) {
        feeds.put(p.name(), live.get(p.name()));
        if (step && p.trainable()) {
          feeds.put(GraphNames.velocity(p.name()), live.get(GraphNames.velocity(p.name())));
        }
      }
    }
    return feeds;
  }

  /** The session of a graph with the weights as inputs, built on first use. */
  private OrtSession session(GraphPlan plan) {
    return session(plan, Integer.MAX_VALUE);
  }

  /**
   * The session of a graph with the weights as inputs for a batch of {@code batch}, built on first use: training steps
   * of small batches have graphs of their own ({@link #WHOLE_BATCH_WEIGHT_GRADIENTS_UP_TO},
   * {@link #STANDARD_OPERATORS_UP_TO}).
   */
  private OrtSession session(GraphPlan plan, int batch) {
    GraphTarget t = target;
    if (plan.purpose() == GraphPlan.Purpose.TRAIN_STEP && batch <= STANDARD_OPERATORS_UP_TO) {
      t = GraphTarget.PORTABLE.withConditionalBlocks(target.conditionalBlocks());
    } else if (plan.purpose() == GraphPlan.Purpose.TRAIN_STEP && batch <= WHOLE_BATCH_WEIGHT_GRADIENTS_UP_TO) {
      t = target.withWeightGradientChunks(1);
    }
    GraphKey key = new GraphKey(plan, t);
    OrtSession s = sessions.get(key);
    if (s == null) {
      byte[] model = SpecGraphs.build(spec, plan, null, null, options.sgd(), t, OrtBackend.producerVersion(),
          Map.of()).toByteArray();
      String what = plan.purpose().name().toLowerCase(java.util.Locale.ROOT) + " graph";
      boolean nchwc = SpecGraphs.usesNchwc(spec, plan, false, t);
      s = create(model, nchwc ? what + " (NCHWc operators; -D" + OrtRuntime.NCHWC_PROPERTY
          + "=false builds standard-operator graphs)" : what, nchwc);
      sessions.put(key, s);
    }
    return s;
  }

  /** The inference session with the current weights as initializers; rebuilt after the weights changed. */
  private OrtSession inferenceSession(boolean gated) throws OrtException {
    OrtSession s = inference.get(gated);
    if (s != null && inferenceVersion.get(gated) == stateVersion) {
      return s;
    }
    if (s != null) {
      inference.remove(gated);
      s.close();
    }
    byte[] model = SpecGraphs.build(spec, GraphPlan.forward(BnMode.INFERENCE, gated), readState(), null, null,
        OrtBackend.producerVersion(), Map.of()).toByteArray();
    s = create(model, "inference graph", false);
    inference.put(gated, s);
    inferenceVersion.put(gated, stateVersion);
    return s;
  }

  /**
   * A session over {@code model}; a model ONNX Runtime cannot load fails as loading {@code what}. {@code prefused}: the
   * graph is a blocked one (see below).
   */
  private OrtSession create(byte[] model, String what, boolean prefused) {
    return engineCall("loading the " + what, () -> {
      if (!prefused) {
        return rt.createSession(model, options.threads(), cuda);
      }
      // A blocked graph is ONNX Runtime's own already (NCHWc convolutions, FusedMatMul): of ONNX Runtime's optimiser
      // only the basic level (constant folding, redundant nodes) still changes it, and the higher ones cost session
      // time (about three times as much for ResNet-20's training step) for nothing measurable per step.
      try (OrtSession.SessionOptions o = rt.options(options.threads(), cuda)) {
        if (!cuda && OrtSessionCache.enabled()) {
          return OrtSessionCache.create(rt, model, o); // its optimised copy next time: about 2x faster to load
        }
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
        return rt.env.createSession(model, o);
      }
    });
  }

  /** A call into ONNX Runtime. */
  private interface OrtCall<T> {
    T run() throws OrtException;
  }

  /**
   * Runs {@code call}; the one place where ONNX Runtime's errors (loading a graph, running it, making tensors) become
   * a {@link BackendException} naming this backend, the operation and the spec. Nested calls keep the innermost
   * operation's words (a graph that cannot be loaded during a forward pass says so).
   */
  private <T> T engineCall(String what, OrtCall<T> call) {
    try {
      return call.run();
    } catch (OrtException e) {
      throw new BackendException(backendName, what + " of '" + spec.name() + "' failed in ONNX Runtime: "
          + e.getMessage(), e);
    }
  }

  private OnnxTensor output(OrtSession.Result r, String name) {
    OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("graph output '" + name + "' missing"));
    return (OnnxTensor) v;
  }

  private HostTensor tensor(OrtSession.Result r, String name) {
    OnnxTensor t = output(r, name);
    long[] shape = t.getInfo().getShape();
    int[] s = new int[shape.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.toIntExact(shape[i]);
    }
    return HostTensor.of(t.getFloatBuffer().array(), s);
  }

  private double scalar(OrtSession.Result r, String name) {
    return output(r, name).getFloatBuffer().get(0);
  }

  private static void closeAll(List<? extends AutoCloseable> list) {
    RuntimeException first = null;
    for (AutoCloseable c : list) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("closing an ONNX Runtime object failed: " + e.getMessage(), e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** For tests: whether the graphs of {@code plan} run with blocked activations. */
  boolean usesNchwc(GraphPlan plan) {
    return SpecGraphs.usesNchwc(spec, plan, false, target);
  }

  /** For tests: how many graph sessions this session has built. */
  int builtSessions() {
    return sessions.size() + inference.size();
  }

  /** For tests and diagnostics: the names of the live state tensors. */
  Set<String> liveNames() {
    return state.names();
  }
}
