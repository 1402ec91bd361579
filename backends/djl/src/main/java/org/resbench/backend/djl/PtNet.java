package org.resbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.model.ModelState;
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
import org.resbench.harness.tensor.HostTensor;

/**
 * A model spec as PyTorch tensor operations, called through DJL's NDArray API layer by layer (no DJL blocks,
 * no DJL initialisers: every tensor comes from a {@link ModelState}). PyTorch's autograd differentiates it.
 *
 * <p>Ownership: the net owns its parameters, BatchNorm statistics, momentum buffers and scratch buffers, all
 * attached to the manager it was given; {@link #close()} releases them. Every temporary of a forward or
 * backward pass lands in the manager of the input array (callers pass a per-step sub-manager), or is attached
 * to the step manager explicitly. Not thread-safe.
 *
 * <p>Semantics are those of {@link org.resbench.harness.backend.Session}; where PyTorch's own convention
 * differs it is mapped here:
 * <ul>
 *   <li>BatchNorm: PyTorch's {@code batch_norm} is called directly with the canonical momentum (PyTorch's
 *       convention equals the canonical one: {@code running = (1 - m) running + m batch}, unbiased variance;
 *       DJL's API would take {@code 1 - m} in float and lose precision). Training-mode passes that must not
 *       change the statistics write them into per-width scratch buffers instead.
 *   <li>Gates: a block with gate exactly 0 skips its branch (its BatchNorm statistics stay unchanged, its
 *       parameters get a zero gradient).
 *   <li>Path masks: {@code d + a (t - d)} with {@code d = stopGradient(t)}: forward value exactly {@code t},
 *       gradient scaled by {@code a}.
 * </ul>
 */
final class PtNet implements AutoCloseable {
  private static final Shape NO_DILATION = new Shape(1, 1);

  private final ModelSpec spec;
  private final NDManager root;
  private final DataType dtype;
  private final Map<String, NDArray> tensors = new LinkedHashMap<>();
  private final List<String> trainable = new ArrayList<>();
  private final Map<String, NDArray> momentum = new HashMap<>();
  private final Map<Integer, NDArray[]> scratch = new HashMap<>();
  private boolean paramsRequireGrad;
  private boolean closed;

  /**
   * What one forward pass does. {@code mask} is null when the pass records no gradient or masks nothing;
   * {@code probes} is null unless values at probe points are wanted.
   */
  record Pass(BnMode mode, boolean updateStats, float[] gates, PathMask mask, Probes probes) {
    Pass(BnMode mode, boolean updateStats, float[] gates, PathMask mask) {
      this(mode, updateStats, gates, mask, null);
    }
  }

  /** Probe points wanted in a pass, and the values found there (arrays of the pass's step manager). */
  static final class Probes {
    private final Set<String> wanted;
    private final Map<String, NDArray> found = new HashMap<>();

    Probes(Collection<String> wanted) {
      this.wanted = new HashSet<>(wanted);
    }

    void offer(String name, NDArray value) {
      if (wanted.contains(name)) {
        found.put(name, value);
      }
    }

    /** Whether any wanted probe lies inside a block's branch. */
    boolean wantsBranchOf(Block b) {
      String prefix = b.name() + "/branch/";
      return wanted.stream().anyMatch(w -> w.startsWith(prefix));
    }

    NDArray get(String name) {
      return found.get(name);
    }
  }

  /**
   * Loads {@code state} into new arrays of {@code dtype} (FLOAT32 for sessions; FLOAT64 for gradient checks)
   * on {@code root}'s device.
   */
  PtNet(ModelSpec spec, ModelState state, NDManager root, DataType dtype) {
    if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT64) {
      throw new IllegalArgumentException("dtype=" + dtype + "; allowed: FLOAT32, FLOAT64");
    }
    this.spec = spec;
    this.root = root;
    this.dtype = dtype;
    for (ParameterSpec p : spec.parameters()) {
      if (p.trainable()) {
        trainable.add(p.name());
      }
    }
    load(state);
  }

  ModelSpec spec() {
    return spec;
  }

  DataType dtype() {
    return dtype;
  }

  NDManager root() {
    return root;
  }

  /** The array behind a parameter or buffer (owned by this net). */
  NDArray tensor(String name) {
    NDArray a = tensors.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no tensor '" + name + "' in '" + spec.name() + "'");
    }
    return a;
  }

  /** Names of the trainable parameters, in the spec's order. */
  List<String> trainableNames() {
    return trainable;
  }

  /** Replaces every parameter and statistic with {@code state}'s values and resets the momentum buffers. */
  void load(ModelState state) {
    checkOpen();
    SessionChecks.requireStateFor(spec, state);
    for (ParameterSpec p : spec.parameters()) {
      HostTensor t = state.get(p.name());
      NDArray a = create(root, t.data(), new Shape(t.longShape()));
      if (p.trainable() && paramsRequireGrad) {
        a.setRequiresGradient(true);
      }
      NDArray old = tensors.put(p.name(), a);
      if (old != null) {
        old.close();
      }
    }
    momentum.values().forEach(NDArray::close);
    momentum.clear();
  }

  /** Overwrites one tensor with {@code values} (for tests that perturb parameters). */
  void set(String name, double[] values) {
    NDArray old = tensor(name);
    NDArray a = dtype == DataType.FLOAT64 ? root.create(values, old.getShape())
        : root.create(toFloat(values), old.getShape());
    if (trainable.contains(name) && paramsRequireGrad) {
      a.setRequiresGradient(true);
    }
    tensors.put(name, a);
    old.close();
  }

  /** A host copy of every parameter and statistic. */
  ModelState read() {
    checkOpen();
    LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      out.put(p.name(), HostTensor.of(toHost(tensors.get(p.name())), p.shape().dims()));
    }
    return new ModelState(spec, out);
  }

  /** Parameters, statistics and momentum buffers (zeros where none exists yet), in this net's precision. */
  TrainingState readTraining() {
    checkOpen();
    LinkedHashMap<String, double[]> values = new LinkedHashMap<>();
    LinkedHashMap<String, double[]> velocity = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      values.put(p.name(), toHostDoubles(tensors.get(p.name())));
      if (p.trainable()) {
        NDArray v = momentum.get(p.name());
        velocity.put(p.name(), v == null ? new double[p.shape().size()] : toHostDoubles(v));
      }
    }
    return new TrainingState(spec, dtype == DataType.FLOAT32 ? TrainingState.Precision.FLOAT32
        : TrainingState.Precision.FLOAT64, values, velocity);
  }

  /** Replaces every parameter, statistic and momentum buffer with {@code state}'s, in this net's precision. */
  void loadTraining(TrainingState state) {
    checkOpen();
    SessionChecks.requireTrainingStateFor(spec, state);
    load(state.model());
    for (ParameterSpec p : spec.parameters()) {
      if (dtype == DataType.FLOAT64) {
        NDArray exact = root.create(state.values().get(p.name()), new Shape(toLong(p.shape().dims())));
        if (p.trainable() && paramsRequireGrad) {
          exact.setRequiresGradient(true);
        }
        tensors.put(p.name(), exact).close();
      }
      if (p.trainable()) {
        double[] m = state.momentum().get(p.name());
        NDArray v = dtype == DataType.FLOAT32 ? root.create(TrainingState.narrow(m), new Shape(toLong(p.shape()
            .dims())))
            : root.create(m, new Shape(toLong(p.shape().dims())));
        momentum.put(p.name(), v);
      }
    }
  }

  private static double[] toHostDoubles(NDArray a) {
    return a.getDataType() == DataType.FLOAT64 ? a.toDoubleArray() : TrainingState.widen(a.toFloatArray());
  }

  private static long[] toLong(int[] dims) {
    return java.util.Arrays.stream(dims).asLongStream().toArray();
  }

  /** An array of this net's dtype holding {@code data}, in {@code manager}. */
  NDArray create(NDManager manager, float[] data, Shape shape) {
    return dtype == DataType.FLOAT32 ? manager.create(data, shape) : manager.create(toDouble(data), shape);
  }

  /** The values of an array of this net's dtype as floats. */
  static float[] toHost(NDArray a) {
    return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : toFloat(a.toDoubleArray());
  }

  /** Whether PyTorch tracks gradients for the trainable parameters; switched only when it changes. */
  void requireParameterGradients(boolean on) {
    checkOpen();
    if (on != paramsRequireGrad) {
      for (String n : trainable) {
        tensors.get(n).setRequiresGradient(on);
      }
      paramsRequireGrad = on;
    }
  }

  /** Zeroes the accumulated gradients (PyTorch adds each backward pass into them). */
  void zeroGradients() {
    for (String n : trainable) {
      JniUtils.zeroGrad((PtNDArray) tensors.get(n));
    }
  }

  /** The gradient of a trainable parameter after a backward pass, attached to {@code step}; null if unused. */
  NDArray gradient(String name, NDManager step) {
    PtNDArray g = JniUtils.getGradient((PtNDArray) tensor(name));
    if (g != null) {
      g.attach(step);
    }
    return g;
  }

  /** The whole network on {@code x}; temporaries land in {@code x}'s manager. */
  NDArray forward(NDArray x, Pass p) {
    checkOpen();
    NDArray h = sequence(spec.stem(), x, p, "stem/");
    for (Block b : spec.blocks()) {
      h = block(b, h, p);
    }
    return sequence(spec.head(), h, p, "head/");
  }

  private NDArray block(Block b, NDArray x, Pass p) {
    int i = b.index();
    float g = p.gates()[i];
    float branchFactor = p.mask() == null ? 1f : p.mask().branch(i);
    float shortcutFactor = p.mask() == null ? 1f : p.mask().shortcut(i);
    String branch = b.name() + "/branch/";
    String shortcut = b.name() + "/shortcut/";
    NDArray z;
    if (g == 0f) {
      // Not run: y = post(S(x)) for both kinds; the branch's BN statistics stay untouched. Probes inside the
      // branch still get its values (such passes never update statistics).
      if (p.probes() != null && p.probes().wantsBranchOf(b) && !p.updateStats()) {
        sequence(b.branch(), x, p, branch);
      }
      z = mask(sequence(b.shortcut(), x, p, shortcut), shortcutFactor);
    } else {
      NDArray f = mask(sequence(b.branch(), x, p, branch), branchFactor);
      if (b.residual()) {
        NDArray s = mask(sequence(b.shortcut(), x, p, shortcut), shortcutFactor);
        z = s.add(g == 1f ? f : f.mul(g));
      } else if (g == 1f && p.probes() == null) {
        z = f;
      } else {
        NDArray s = mask(sequence(b.shortcut(), x, p, shortcut), shortcutFactor);
        z = g == 1f ? f : s.mul(1.0 - g).add(f.mul(g));
      }
    }
    if (p.probes() != null) {
      p.probes().offer(b.name() + "/merge", z);
    }
    NDArray y = sequence(b.post(), z, p, b.name() + "/post/");
    if (p.probes() != null) {
      p.probes().offer(b.name(), y);
    }
    return y;
  }

  /** {@code d + a (t - d)}, d = stopGradient(t): the value of t (exactly), gradient scaled by a. */
  private static NDArray mask(NDArray t, float a) {
    if (a == 1f) {
      return t;
    }
    NDArray d = t.stopGradient();
    if (a == 0f) {
      return d;
    }
    return d.add(t.sub(d).mul(a));
  }

  private NDArray sequence(List<Layer> layers, NDArray x, Pass p, String probePrefix) {
    NDArray h = x;
    for (int i = 0; i < layers.size(); i++) {
      h = layer(layers.get(i), h, p);
      if (p.probes() != null) {
        p.probes().offer(probePrefix + i, h);
      }
    }
    return h;
  }

  private NDArray layer(Layer l, NDArray x, Pass p) {
    if (l instanceof Conv2d c) {
      NDArray b = c.bias() ? tensors.get(c.name() + ".bias") : null;
      return x.getNDArrayInternal().convolution(x, tensors.get(c.name() + ".weight"), b,
          new Shape(c.stride(), c.stride()), new Shape(c.padding(), c.padding()), NO_DILATION, c.groups())
          .singletonOrThrow();
    } else if (l instanceof BatchNorm bn) {
      return batchNorm(bn, x, p);
    } else if (l instanceof Relu) {
      return Activation.relu(x);
    } else if (l instanceof Linear lin) {
      NDArray b = lin.bias() ? tensors.get(lin.name() + ".bias") : null;
      return x.getNDArrayInternal().linear(x, tensors.get(lin.name() + ".weight"), b).singletonOrThrow();
    } else if (l instanceof GlobalAvgPool) {
      // DJL's PyTorch mean takes one axis: reduce H*W as one axis.
      Shape s = x.getShape();
      return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    } else if (l instanceof Flatten) {
      return x.reshape(x.getShape().get(0), -1);
    } else if (l instanceof SubsamplePad sp) {
      return subsamplePad(sp, x);
    }
    throw new IllegalStateException("unhandled layer " + l);
  }

  private NDArray batchNorm(BatchNorm bn, NDArray x, Pass p) {
    boolean training = p.mode() == BnMode.TRAIN;
    NDArray mean = tensors.get(bn.name() + ".running_mean");
    NDArray var = tensors.get(bn.name() + ".running_var");
    if (training && !p.updateStats()) {
      NDArray[] s = scratch.computeIfAbsent(bn.channels(), c -> new NDArray[] {
          root.zeros(new Shape(c), dtype), root.ones(new Shape(c), dtype)});
      mean = s[0];
      var = s[1];
    }
    // JniUtils names its parameters (gamma, beta, mean, var) but passes them on in the native order
    // (mean, var, gamma, beta); DJL's own PtNDArrayEx calls it positionally like this.
    return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) mean, (PtNDArray) var,
        (PtNDArray) tensors.get(bn.name() + ".gamma"), (PtNDArray) tensors.get(bn.name() + ".beta"), training,
        bn.momentum(), bn.eps());
  }

  private NDArray subsamplePad(SubsamplePad sp, NDArray x) {
    NDArray s = sp.stride() == 1 ? x : x.get(new NDIndex(":, :, ::{}, ::{}", sp.stride(), sp.stride()));
    int extra = sp.outChannels() - sp.inChannels();
    if (extra == 0) {
      return s;
    }
    Shape ss = s.getShape();
    NDArray zeros = x.getManager().zeros(new Shape(ss.get(0), extra, ss.get(2), ss.get(3)), dtype);
    return s.concat(zeros, 1);
  }

  /**
   * The canonical SGD update of every trainable parameter from its current gradient (a parameter without one
   * gets a zero gradient: weight decay and momentum still act). Runs with gradient recording off.
   */
  void sgd(SgdConfig c, double lr, NDManager step) {
    checkOpen();
    for (String n : trainable) {
      NDArray w = tensors.get(n);
      NDArray g = gradient(n, step);
      NDArray gp;
      if (c.weightDecay() != 0) {
        gp = w.mul(c.weightDecay());
        gp.attach(step);
        if (g != null) {
          gp = g.add(gp);
        }
      } else {
        gp = g;
      }
      NDArray v = momentum.get(n);
      if (c.momentum() == 0) {
        if (gp != null) {
          NDArray d = gp.mul(lr);
          w.subi(d);
        }
        continue;
      }
      if (v == null) {
        v = root.zeros(w.getShape(), dtype);
        momentum.put(n, v);
      }
      v.muli(c.momentum());
      if (gp != null) {
        v.addi(gp);
      }
      NDArray d;
      if (c.nesterov()) {
        NDArray mv = v.mul(c.momentum());
        mv.attach(step);
        d = gp == null ? mv.mul(lr) : gp.add(mv).mul(lr);
      } else {
        d = v.mul(lr);
        d.attach(step);
      }
      w.subi(d);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the network of '" + spec.name() + "' is closed");
    }
  }

  /** Releases every array this net owns; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    tensors.values().forEach(NDArray::close);
    momentum.values().forEach(NDArray::close);
    scratch.values().forEach(a -> Arrays.stream(a).forEach(NDArray::close));
    tensors.clear();
    momentum.clear();
    scratch.clear();
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
