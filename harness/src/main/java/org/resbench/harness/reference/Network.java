package org.resbench.harness.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Conv2d;
import org.resbench.harness.spec.Flatten;
import org.resbench.harness.spec.GlobalAvgPool;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.Linear;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.Relu;
import org.resbench.harness.spec.SubsamplePad;

/**
 * A {@link ModelSpec} evaluated in float64: the forward pass records, for every layer applied, how to send a
 * gradient back through it (a tape), and {@link Trace#backward} replays the tape in reverse with the block
 * gates and path masks of the canonical semantics (see {@link org.resbench.harness.backend.Session}).
 *
 * <p>The network reads its parameters and BatchNorm statistics from {@link #values()}, a map that the owning
 * session (or a test) changes in place between passes; a forward pass never changes it. Not thread-safe:
 * one pass at a time (each pass uses all cores through {@link Parallel}).
 *
 * <p>With {@code float32Storage} every tensor a layer produces (forward and backward) is rounded to float32
 * while arithmetic stays in float64: a model of a float32 engine's storage, with which tests check that the
 * conformance tolerances accept float32-level differences. The reference itself never uses it.
 */
final class Network {
  private final ModelSpec spec;
  private final Map<String, double[]> values;
  private final Parallel par;
  private final boolean float32Storage;

  /** @param values every tensor of {@code spec.parameters()}, by name (used as is, not copied) */
  Network(ModelSpec spec, Map<String, double[]> values, Parallel par) {
    this(spec, values, par, false);
  }

  Network(ModelSpec spec, Map<String, double[]> values, Parallel par, boolean float32Storage) {
    for (ParameterSpec p : spec.parameters()) {
      double[] v = values.get(p.name());
      if (v == null || v.length != p.shape().size()) {
        throw new IllegalArgumentException("network values: tensor '" + p.name() + "' is "
            + (v == null ? "missing" : "of size " + v.length) + "; allowed: " + p.shape().size() + " values");
      }
    }
    this.spec = spec;
    this.values = values;
    this.par = par;
    this.float32Storage = float32Storage;
  }

  boolean float32Storage() {
    return float32Storage;
  }

  /** {@code t}, or in float32-storage mode a copy rounded to float32. */
  Tensor stored(Tensor t) {
    if (!float32Storage) {
      return t;
    }
    Tensor r = Tensor.zeros(t.shape);
    for (int i = 0; i < r.data.length; i++) {
      r.data[i] = (float) t.data[i];
    }
    return r;
  }

  ModelSpec spec() {
    return spec;
  }

  /** The live parameters and statistics, by name. */
  Map<String, double[]> values() {
    return values;
  }

  /**
   * How a gradient goes back through one applied layer; adds parameter gradients to {@code grads} when it is not null.
   */
  interface Node {
    Tensor backward(Tensor dy, Map<String, double[]> grads);
  }

  /** A layer sequence applied to one input: its output and its tape, in application order. */
  record Applied(Tensor output, List<Node> tape) {
    Tensor backward(Tensor dy, Map<String, double[]> grads) {
      Tensor g = dy;
      for (int i = tape.size() - 1; i >= 0; i--) {
        g = tape.get(i).backward(g, grads);
      }
      return g;
    }
  }

  /** The batch statistics one BatchNorm layer saw in a TRAIN-mode pass. */
  record BatchStats(BatchNorm layer, double[] mean, double[] varianceUnbiased, int count) {}

  /** What one forward pass collects besides its output. Not thread-safe. */
  static final class Pass {
    final BnMode mode;
    final List<BatchStats> stats = new ArrayList<>();
    /** Probe points whose values this pass keeps ({@link org.resbench.harness.spec.ProbePoint}); empty: none. */
    final java.util.Set<String> probes;
    final Map<String, Tensor> recorded = new LinkedHashMap<>();
    double reluMargin = Double.POSITIVE_INFINITY;
    /** A 64-bit fingerprint of every ReLU's mask in this pass: equal fingerprints mean the same linear piece. */
    long reluPattern = 1;

    Pass(BnMode mode) {
      this(mode, java.util.Set.of());
    }

    Pass(BnMode mode, java.util.Set<String> probes) {
      this.mode = mode;
      this.probes = probes;
    }

    void record(String probe, Tensor value) {
      if (probes.contains(probe)) {
        recorded.put(probe, value);
      }
    }

    boolean wantsAnyUnder(String prefix) {
      return probes.stream().anyMatch(p -> p.startsWith(prefix));
    }

    void noteRelu(Tensor in) {
      reluMargin = Math.min(reluMargin, Pointwise.reluMargin(in));
      long h = reluPattern;
      for (double v : in.data) {
        h = h * 0x9E3779B97F4A7C15L + (v > 0 ? 1 : 2);
      }
      reluPattern = h;
    }
  }

  /**
   * One block applied: its gate, its input's shape, and the applied branch (null when the gate is 0), shortcut and
   * post.
   */
  record BlockPass(Block block, double gate, int[] inputShape, Applied branch, Applied shortcut, Applied post) {}

  /** A whole forward pass, ready to be differentiated. */
  final class Trace {
    final Tensor output;
    final Pass pass;
    private final Applied stem;
    private final List<BlockPass> blocks;
    private final Applied head;

    private Trace(Tensor output, Pass pass, Applied stem, List<BlockPass> blocks, Applied head) {
      this.output = output;
      this.pass = pass;
      this.stem = stem;
      this.blocks = blocks;
      this.head = head;
    }

    /**
     * The gradient of {@code sum(dOutput * output)} with respect to the input and (when
     * {@code parameterGradients}) every trainable parameter. Block b sends {@code branch[b] * g * dz} into its
     * branch and {@code shortcut[b] * c * dz} into its shortcut (c = 1 residual, 1 - g plain); a path whose
     * factor is 0 is not visited, so its parameters' gradients stay exactly 0.
     */
    Gradients backward(Tensor dOutput, double[] branch, double[] shortcut, boolean parameterGradients) {
      Map<String, double[]> grads = null;
      if (parameterGradients) {
        grads = new LinkedHashMap<>();
        for (ParameterSpec p : spec.trainableParameters()) {
          grads.put(p.name(), new double[p.shape().size()]);
        }
      }
      Tensor g = head.backward(dOutput, grads);
      for (int i = blocks.size() - 1; i >= 0; i--) {
        g = backwardBlock(blocks.get(i), g, branch[i], shortcut[i], grads);
      }
      g = stem.backward(g, grads);
      return new Gradients(g, grads);
    }
  }

  /** Gradients of one backward pass: input (float64, the input's shape) and trainable parameters by name (or null). */
  record Gradients(Tensor input, Map<String, double[]> parameters) {}

  /** The forward pass with BatchNorm in {@code mode} and one gate per block. */
  Trace forward(Tensor x, BnMode mode, double[] gates) {
    return forward(x, new Pass(mode), gates);
  }

  /** The forward pass collecting into {@code pass} (which may ask for probe-point values). */
  Trace forward(Tensor x, Pass pass, double[] gates) {
    Applied stem = forwardSequence(spec.stem(), x, pass, "stem/");
    Tensor h = stem.output();
    List<BlockPass> blocks = new ArrayList<>(spec.blocks().size());
    for (Block b : spec.blocks()) {
      BlockPass bp = forwardBlock(b, gates[b.index()], h, pass);
      blocks.add(bp);
      h = bp.post().output();
    }
    Applied head = forwardSequence(spec.head(), h, pass, "head/");
    return new Trace(head.output(), pass, stem, blocks, head);
  }

  /**
   * {@code post(S(x) + g F(x))} (residual) or {@code post((1 - g) S(x) + g F(x))} (plain); F is not run at
   * g = 0 unless the pass asks for a probe inside it (its value is then computed but does not count).
   */
  BlockPass forwardBlock(Block b, double gate, Tensor x, Pass pass) {
    Applied shortcut = forwardSequence(b.shortcut(), x, pass, b.name() + "/shortcut/");
    Applied branch = gate != 0 ? forwardSequence(b.branch(), x, pass, b.name() + "/branch/") : null;
    if (gate == 0 && pass.wantsAnyUnder(b.name() + "/branch/")) {
      // A side pass: the probe values are wanted, the statistics of a branch that does not run are not.
      Pass side = new Pass(pass.mode, pass.probes);
      forwardSequence(b.branch(), x, side, b.name() + "/branch/");
      pass.recorded.putAll(side.recorded);
    }
    double c = b.residual() ? 1 : 1 - gate;
    Tensor s = shortcut.output();
    Tensor z = Tensor.zeros(s.shape);
    for (int i = 0; i < z.data.length; i++) {
      z.data[i] = (c == 1 ? s.data[i] : c * s.data[i]) + (branch == null ? 0 : gate * branch.output().data[i]);
    }
    Tensor merged = stored(z);
    pass.record(b.name() + "/merge", merged);
    Applied post = forwardSequence(b.post(), merged, pass, b.name() + "/post/");
    pass.record(b.name(), post.output());
    return new BlockPass(b, gate, x.shape, branch, shortcut, post);
  }

  Tensor backwardBlock(BlockPass bp, Tensor dy, double branchFactor, double shortcutFactor,
      Map<String, double[]> grads) {
    Tensor dz = bp.post().backward(dy, grads);
    double c = bp.block().residual() ? 1 : 1 - bp.gate();
    double toBranch = branchFactor * bp.gate();
    double toShortcut = shortcutFactor * c;
    Tensor dx = null;
    if (bp.branch() != null && toBranch != 0) {
      dx = bp.branch().backward(stored(scaled(dz, toBranch)), grads);
    }
    if (toShortcut != 0) {
      Tensor ds = bp.shortcut().backward(stored(scaled(dz, toShortcut)), grads);
      dx = dx == null ? ds : stored(sum(dx, ds));
    }
    return dx == null ? Tensor.zeros(bp.inputShape()) : dx;
  }

  /** Applies {@code layers} in order, recording the tape (no probe points). */
  Applied forwardSequence(List<Layer> layers, Tensor x, Pass pass) {
    return forwardSequence(layers, x, pass, "\u0000");
  }

  /**
   * Applies {@code layers} in order, recording the tape and the probe points {@code prefix + position} the
   * pass asks for. An empty list is the identity.
   */
  Applied forwardSequence(List<Layer> layers, Tensor x, Pass pass, String prefix) {
    List<Node> tape = new ArrayList<>(layers.size());
    Tensor h = x;
    int position = -1;
    for (Layer l : layers) {
      position++;
      Tensor in = h;
      int recorded = tape.size();
      if (l instanceof Conv2d c) {
        double[] w = values.get(c.name() + ".weight");
        double[] b = c.bias() ? values.get(c.name() + ".bias") : null;
        h = Conv.forward(c, w, b, in, par);
        tape.add((dy, grads) -> {
          if (grads != null) {
            Conv.backwardParameters(c, in, dy, grads.get(c.name() + ".weight"),
                c.bias() ? grads.get(c.name() + ".bias") : null, par);
          }
          return Conv.backwardInput(c, w, dy, in.shape, par);
        });
      } else if (l instanceof BatchNorm bn) {
        h = applyBatchNorm(bn, in, pass, tape);
      } else if (l instanceof Relu) {
        pass.noteRelu(in);
        h = Pointwise.relu(in);
        tape.add((dy, grads) -> Pointwise.reluBackward(in, dy));
      } else if (l instanceof Linear lin) {
        double[] w = values.get(lin.name() + ".weight");
        double[] b = lin.bias() ? values.get(lin.name() + ".bias") : null;
        h = Dense.forward(lin, w, b, in, par);
        tape.add((dy, grads) -> {
          if (grads != null) {
            Dense.backwardParameters(lin, in, dy, grads.get(lin.name() + ".weight"),
                lin.bias() ? grads.get(lin.name() + ".bias") : null, par);
          }
          return Dense.backwardInput(lin, w, dy, par);
        });
      } else if (l instanceof GlobalAvgPool) {
        h = Pointwise.globalAvgPool(in);
        tape.add((dy, grads) -> Pointwise.globalAvgPoolBackward(in.shape, dy));
      } else if (l instanceof Flatten) {
        h = in.reshape(in.dim(0), in.perExample());
        tape.add((dy, grads) -> dy.reshape(in.shape));
      } else if (l instanceof SubsamplePad sp) {
        h = Pointwise.subsamplePad(sp, in);
        tape.add((dy, grads) -> Pointwise.subsamplePadBackward(sp, in.shape, dy));
      } else {
        throw new IllegalStateException("the reference has no kernel for layer " + l);
      }
      if (float32Storage) {
        h = stored(h);
        Node exact = tape.get(recorded);
        tape.set(recorded, (dy, grads) -> stored(exact.backward(dy, grads)));
      }
      pass.record(prefix + position, h);
    }
    return new Applied(h, tape);
  }

  private Tensor applyBatchNorm(BatchNorm bn, Tensor in, Pass pass, List<Node> tape) {
    double[] gamma = values.get(bn.name() + ".gamma");
    double[] beta = values.get(bn.name() + ".beta");
    boolean train = pass.mode == BnMode.TRAIN;
    Norm.Result r = train ? Norm.forwardTrain(bn, gamma, beta, in, par)
        : Norm.forwardInference(bn, gamma, beta, values.get(bn.name() + ".running_mean"),
            values.get(bn.name() + ".running_var"), in, par);
    if (train) {
      pass.stats.add(new BatchStats(bn, r.batchMean(), r.batchVarUnbiased(), r.count()));
    }
    tape.add((dy, grads) -> Norm.backward(train, gamma, r, dy,
        grads == null ? null : grads.get(bn.name() + ".gamma"), grads == null ? null : grads.get(bn.name() + ".beta"),
        par));
    return r.output();
  }

  static Tensor scaled(Tensor t, double factor) {
    if (factor == 1) {
      return t;
    }
    Tensor out = Tensor.zeros(t.shape);
    for (int i = 0; i < t.data.length; i++) {
      out.data[i] = factor * t.data[i];
    }
    return out;
  }

  static Tensor sum(Tensor a, Tensor b) {
    Tensor out = Tensor.zeros(a.shape);
    for (int i = 0; i < a.data.length; i++) {
      out.data[i] = a.data[i] + b.data[i];
    }
    return out;
  }
}
