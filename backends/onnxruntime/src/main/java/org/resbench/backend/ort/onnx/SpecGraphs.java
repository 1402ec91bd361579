package org.resbench.backend.ort.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.SgdConfig;
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
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SubsamplePad;
import org.resbench.backend.ort.onnx.GraphBuilder.ElemType;
import org.resbench.backend.ort.onnx.GraphPlan.ObjectiveKind;
import org.resbench.backend.ort.onnx.GraphPlan.Purpose;

/**
 * Translates a {@link ModelSpec} into ONNX graphs with standard operators only: forward graphs, and gradient and
 * training-step graphs whose backward pass is generated here by reverse-mode differentiation over the spec.
 *
 * <p>The forward pass records a tape (one record per layer application, nested per block); the backward pass
 * walks it in reverse and emits each layer's vector-Jacobian product in the formulation measured fastest on
 * ONNX Runtime's CPU provider (DEPENDENCIES.md): the stride-1 input gradient of a convolution is a convolution
 * of dY with the flipped, channel-swapped weights; other strides use ConvTranspose; the weight gradient is an
 * im2col (constant one-hot grouped convolutions: one k x k set, or a 1 x k set of the input and a k x 1 set of dY
 * at stride 1) followed by a batched MatMul and a ReduceSum over the batch; BatchNorm, ReLU, pooling, Gemm and
 * cross-entropy use closed forms. Batch statistics are computed with plain operators (ONNX Runtime's
 * BatchNormalization in training mode writes into its running-statistic inputs). Semantics are those of
 * {@code org.resbench.harness.backend.Session}: gates {@code y = post(S(x) + g F(x))} (residual) and
 * {@code y = post((1 - g) S(x) + g F(x))} (plain); path masks scale the gradient entering a block's branch and
 * shortcut; a training step applies the canonical SGD update and the canonical running-statistics update
 * (PyTorch's momentum convention with the unbiased batch variance, computed explicitly rather than with ONNX's
 * opposite convention), leaving the statistics of BatchNorm layers in the branch of a block whose gate is 0
 * unchanged.
 *
 * <p>A {@link GraphTarget} changes how, never what, a graph computes: for ONNX Runtime's CPU provider, graphs with
 * the weights as inputs keep spatial activations in its channel-blocked layout ({@link NchwcLayout}; BatchNorm,
 * residual merge and ReLU then share one pass, and a block's input gradient adds the shortcut's inside the branch's
 * first dX convolution), and training steps form weight gradients over batch slices.
 *
 * <p>Stateless and thread-safe; each call builds a new graph.
 */
public final class SpecGraphs {
  private SpecGraphs() {}

  /**
   * The per-image patch size (bytes) from which a training step forms a layer's weight gradient over batch slices
   * ({@link GraphTarget}): 2 MiB of patches at batch 128, beyond a core's L2. ResNet-20's layers on 32x32 images are
   * all above it (48 to 192 KiB); the conformance suite's 8x8 ones below.
   */
  static final long MIN_SLICED_PATCH_BYTES = 16 * 1024;

  /**
   * Builds the graph of {@code plan} with standard ONNX operators only (plain NCHW activations): what the exporter
   * writes and any runtime loads.
   *
   * @param inlineWeights when not null, parameters and statistics become initializers holding these values (ONNX
   *     Runtime's fast blocked convolutions need constant weights); when null they are graph inputs
   * @param gateDefaults when not null (gated plans only), the gates input gets these default values, so that
   *     tools feeding only {@link GraphNames#INPUT} run the graph
   * @param sgd the optimiser of a training-step graph (ignored otherwise)
   * @param producerVersion the resbench version written into the model
   * @param metadata {@code metadata_props} of the model
   */
  public static OnnxMl.ModelProto build(ModelSpec spec, GraphPlan plan, ModelState inlineWeights,
      float[] gateDefaults, SgdConfig sgd, String producerVersion, Map<String, String> metadata) {
    return build(spec, plan, inlineWeights, gateDefaults, sgd, GraphTarget.PORTABLE, producerVersion, metadata);
  }

  /**
   * Builds the graph of {@code plan} specialised for {@code target}: with {@link GraphTarget#ortCpu}, spatial
   * activations are channel-blocked when {@link #usesNchwc} says so (the graph then runs only on ONNX Runtime's CPU
   * provider) and weight gradients are summed over batch slices.
   */
  public static OnnxMl.ModelProto build(ModelSpec spec, GraphPlan plan, ModelState inlineWeights,
      float[] gateDefaults, SgdConfig sgd, GraphTarget target, String producerVersion, Map<String, String> metadata) {
    if (inlineWeights != null && !inlineWeights.spec().hash().equals(spec.hash())) {
      throw new IllegalArgumentException("weights are for spec '" + inlineWeights.spec().name() + "' ("
          + inlineWeights.spec().hash() + "), not '" + spec.name() + "' (" + spec.hash() + ")");
    }
    if (gateDefaults != null && (!plan.gated() || gateDefaults.length != spec.blocks().size())) {
      throw new IllegalArgumentException("gate defaults: " + gateDefaults.length + " values for a plan with gated="
          + plan.gated() + "; allowed: one per block (" + spec.blocks().size() + ") on a gated plan");
    }
    if (plan.purpose() == Purpose.TRAIN_STEP && sgd == null) {
      throw new IllegalArgumentException("a training-step graph needs an SGD configuration");
    }
    Emitter e = new Emitter(spec, plan, inlineWeights, gateDefaults, sgd,
        usesNchwc(spec, plan, inlineWeights != null, target) ? target.nchwcBlock() : 0,
        plan.purpose() == Purpose.TRAIN_STEP ? target.weightGradientChunks() : 1);
    e.emit();
    return e.g.build(producerVersion, metadata, describe(spec, plan));
  }

  /**
   * Whether a graph of {@code plan} for {@code target} keeps its spatial activations in ONNX Runtime's
   * channel-blocked layout ({@link NchwcLayout}): when the target has a block size, the weights are inputs (with
   * initializer weights ONNX Runtime blocks the convolutions itself and also folds BatchNorm into them), the graph
   * does not report activations (which are wanted in NCHW), and every layer of {@code spec} can run blocked.
   */
  public static boolean usesNchwc(ModelSpec spec, GraphPlan plan, boolean inlineWeights, GraphTarget target) {
    return target.nchwcBlock() > 0 && !inlineWeights && plan.purpose() != Purpose.ACTIVATIONS
        && NchwcLayout.supports(spec, target.nchwcBlock());
  }

  private static String describe(ModelSpec spec, GraphPlan plan) {
    StringBuilder sb = new StringBuilder("resbench ").append(plan.purpose().name().toLowerCase(java.util.Locale.ROOT))
        .append(" graph of ").append(spec.name()).append(" (spec hash ").append(spec.hash())
        .append("), BatchNorm with ").append(plan.bnMode() == BnMode.TRAIN ? "batch" : "running")
        .append(" statistics. Input '").append(GraphNames.INPUT).append("' [N, ")
        .append(spec.inputShape().toString().replace("x", ", ")).append("] float32 NCHW; output '")
        .append(GraphNames.LOGITS).append("' [N, ").append(spec.outputs()).append("].");
    if (plan.gated()) {
      sb.append(" Input '").append(GraphNames.GATES).append("' [").append(spec.blocks().size())
          .append("]: one gate per block; residual block y = post(S(x) + g*F(x)), plain block"
              + " y = post((1-g)*S(x) + g*F(x)); g = 1 is the ordinary network, g = 0 removes the block's branch,"
              + " stochastic depth infers with g = survival probability.");
    }
    return sb.toString();
  }

  // ---- the tape ----

  private sealed interface Rec {}

  private record ConvRec(Conv2d conv, String x, Shape in, Shape out) implements Rec {}

  /**
   * A BatchNorm application. INFERENCE: {@code mean} and {@code var} are the running statistics [C]; the other
   * fields are null. TRAIN: {@code mean} and {@code var} are the batch statistics [C], {@code centred} is
   * {@code x - mean} and {@code inv} is 1/sqrt(var + eps) shaped to broadcast ([1, C, 1, 1] or [1, C]).
   */
  private record BnRec(BatchNorm bn, String x, Shape in, String mean, String var, String centred, String inv)
      implements Rec {}

  private record ReluRec(String y) implements Rec {}

  private record LinearRec(Linear linear, String x) implements Rec {}

  /** A global average pool; {@code blocked}: its input was blocked. */
  private record GapRec(Shape in, boolean blocked) implements Rec {}

  /** A Flatten of a spatial tensor; {@code blocked}: its input was blocked (and converted to NCHW first). */
  private record FlattenRec(Shape in, boolean blocked) implements Rec {}

  private record SubsampleRec(SubsamplePad pad, Shape in, Shape out) implements Rec {}

  private record BlockRec(Block block, List<Rec> branch, List<Rec> shortcut, List<Rec> post, boolean shortcutRun)
      implements Rec {}

  /**
   * A blocked BatchNorm output not emitted yet: {@code centred * scale + shift (+ addend)} per channel. Held back so
   * that a residual merge and a ReLU that follow fold into the same pass (a depthwise 1x1 convolution with a Sum
   * input and a fused activation), as ONNX Runtime does for inference graphs.
   */
  private record PendingAffine(String hint, String centred, Shape shape, String scale, String shift, String addend) {}

  /** A BatchNorm application in a training step, whose running statistics the step updates. */
  private record BnStat(BatchNorm bn, int branchOf, Shape in, String batchMean, String batchVar) {}

  /** Builds one graph; single use. */
  private static final class Emitter {
    final GraphBuilder g;
    final ModelSpec spec;
    final GraphPlan plan;
    final ModelState inline;
    final float[] gateDefaults;
    final SgdConfig sgd;
    final boolean train;
    final Map<String, String> grads = new LinkedHashMap<>();
    final List<BnStat> stats = new ArrayList<>();
    final Map<Integer, String> gateCache = new HashMap<>();
    final Map<Integer, String> oneMinusGateCache = new HashMap<>();
    final Map<String, String> maskCache = new HashMap<>();
    final Map<Long, String> unbiasCache = new HashMap<>();
    final Map<String, String> probes = new LinkedHashMap<>();
    String batchSizeValue;
    String invBatch;
    /** The blocked layout of spatial activations, or null when they are plain NCHW. */
    final NchwcLayout nchwc;
    /**
     * Blocked BatchNorm outputs not emitted yet, by their reserved value names; {@link #ready} emits one (under that
     * name) for any consumer other than a fusing ReLU or residual merge. A consumer that skipped {@link #ready}
     * fails in {@link GraphBuilder} (the name is undefined), never silently.
     */
    final Map<String, PendingAffine> pending = new HashMap<>();
    /** Blocked activations already converted to NCHW (for weight gradients), by name. */
    final Map<String, String> plainCopies = new HashMap<>();
    /**
     * The spatial values of a blocked graph that are in NCHW nevertheless: the input, NCHW copies, and gradients
     * computed in NCHW (of a first convolution on the plain input).
     */
    final java.util.Set<String> nchw = new java.util.HashSet<>(List.of(GraphNames.INPUT));

    /** How many batch slices a weight gradient is summed over. */
    final int weightGradientChunks;
    /** The sizes of the {@link #weightGradientChunks} batch slices (int64 [k]); null until first needed. */
    String chunkSizes;

    Emitter(ModelSpec spec, GraphPlan plan, ModelState inline, float[] gateDefaults, SgdConfig sgd, int nchwcBlock,
        int weightGradientChunks) {
      this.g = new GraphBuilder(spec.name() + "-" + plan.purpose().name().toLowerCase(java.util.Locale.ROOT));
      this.spec = spec;
      this.plan = plan;
      this.inline = inline;
      this.gateDefaults = gateDefaults;
      this.sgd = sgd;
      this.train = plan.bnMode() == BnMode.TRAIN;
      this.nchwc = nchwcBlock > 0 ? new NchwcLayout(g, nchwcBlock) : null;
      this.weightGradientChunks = weightGradientChunks;
    }

    void emit() {
      declareInputs();
      List<Rec> stemTape = new ArrayList<>();
      List<BlockRec> blockTape = new ArrayList<>();
      List<Rec> headTape = new ArrayList<>();
      Shape s = spec.inputShape();
      String x = GraphNames.INPUT;
      x = layers(spec.stem(), x, s, stemTape, -1, "stem/");
      s = shapeAfter(spec.stem(), s);
      for (Block b : spec.blocks()) {
        BlockRec r = block(b, x, s);
        blockTape.add(r);
        x = lastOutput;
        s = b.outputShape(s);
      }
      x = layers(spec.head(), x, s, headTape, -1, "head/");
      String logits = ready(x);
      g.output(GraphNames.LOGITS, logits, ElemType.FLOAT, -1, spec.outputs());
      if (plan.purpose() == Purpose.ACTIVATIONS) {
        for (org.resbench.harness.spec.ProbePoint pp : spec.probePoints()) {
          g.output(GraphNames.probe(pp.name()), probes.get(pp.name()), ElemType.FLOAT, batchShape(pp.shape()));
        }
      }
      if (!plan.differentiates()) {
        return;
      }
      String dLogits = objective(logits);
      String d = backLayers(headTape, dLogits, true);
      for (int i = blockTape.size() - 1; i >= 0; i--) {
        d = backBlock(blockTape.get(i), d);
      }
      boolean needDx = plan.inputGradient();
      d = backLayers(stemTape, d, needDx);
      if (plan.inputGradient()) {
        d = plain(d, spec.inputShape());
        long[] dims = spec.inputShape().withBatch(1);
        dims[0] = -1;
        g.output(GraphNames.INPUT_GRADIENT, d, ElemType.FLOAT, dims);
      }
      if (plan.purpose() == Purpose.GRADIENTS && plan.parameterGradients()) {
        for (ParameterSpec p : spec.trainableParameters()) {
          g.output(GraphNames.gradient(p.name()), requireGrad(p), ElemType.FLOAT, dims(p.shape()));
        }
      }
      if (plan.purpose() == Purpose.TRAIN_STEP) {
        sgdUpdate();
        statisticsUpdate();
      }
    }

    /** The most recent value produced by {@link #block}: the block's output. */
    String lastOutput;

    void declareInputs() {
      long[] in = spec.inputShape().withBatch(1);
      in[0] = -1;
      g.input(GraphNames.INPUT, ElemType.FLOAT, in);
      int nb = spec.blocks().size();
      if (plan.gated()) {
        if (gateDefaults != null) {
          g.inputWithDefault(GraphNames.GATES, gateDefaults.clone(), nb);
        } else {
          g.input(GraphNames.GATES, ElemType.FLOAT, nb);
        }
      }
      if (plan.masked()) {
        g.input(GraphNames.MASK_BRANCH, ElemType.FLOAT, nb);
        g.input(GraphNames.MASK_SHORTCUT, ElemType.FLOAT, nb);
      }
      if (plan.objective() == ObjectiveKind.CROSS_ENTROPY) {
        g.input(GraphNames.LABELS, ElemType.INT64, -1);
      } else if (plan.objective() == ObjectiveKind.OUTPUT_COTANGENT) {
        g.input(GraphNames.COTANGENT, ElemType.FLOAT, -1, spec.outputs());
      }
      if (plan.purpose() == Purpose.TRAIN_STEP) {
        g.input(GraphNames.LEARNING_RATE, ElemType.FLOAT);
      }
      for (ParameterSpec p : spec.parameters()) {
        if (inline != null) {
          g.initializer(p.name(), inline.get(p.name()).data(), dims(p.shape()));
        } else {
          g.input(p.name(), ElemType.FLOAT, dims(p.shape()));
        }
      }
      if (plan.purpose() == Purpose.TRAIN_STEP) {
        for (ParameterSpec p : spec.trainableParameters()) {
          g.input(GraphNames.velocity(p.name()), ElemType.FLOAT, dims(p.shape()));
        }
      }
    }

    // ---- forward ----

    /** Applies {@code ls}; the output of layer i is probe point {@code probePrefix + i}. */
    String layers(List<Layer> ls, String x, Shape in, List<Rec> tape, int branchOf, String probePrefix) {
      String v = x;
      Shape s = in;
      for (int i = 0; i < ls.size(); i++) {
        Layer l = ls.get(i);
        v = layer(l, v, s, tape, branchOf);
        s = l.outputShape(s);
        probe(probePrefix + i, v);
      }
      return v;
    }

    /** Records the value of a probe point (graphs that report activations only). */
    void probe(String name, String value) {
      if (plan.purpose() == Purpose.ACTIVATIONS) {
        probes.put(name, value);
      }
    }

    String layer(Layer l, String x0, Shape in, List<Rec> tape, int branchOf) {
      if (l instanceof Relu && pending.containsKey(x0)) {
        String y = emitAffine(pending.get(x0), true, null); // BatchNorm (+ merge) and ReLU in one pass
        tape.add(new ReluRec(y));
        return y;
      }
      String x = ready(x0);
      if (l instanceof Conv2d c) {
        Shape out = c.outputShape(in);
        if (nchwc != null) {
          // The input is blocked, or it is the graph's plain input: a convolution takes that directly when it has
          // fewer channels than a block; else it is blocked first.
          boolean plainIn = !blocked(x);
          String xin = plainIn && c.inChannels() >= nchwc.block() ? nchwc.fromPlain(x, in) : x;
          tape.add(new ConvRec(c, xin, in, out));
          return nchwc.conv(c.name(), xin, !blocked(xin), in, nchwc.filter(c.name() + ".weight", c.outChannels(),
              c.inChannels(), c.kernel()), c.bias() ? c.name() + ".bias" : null, null, out, c.kernel(), c.stride(),
              c.padding());
        }
        tape.add(new ConvRec(c, x, in, out));
        GraphBuilder.Node n = g.node(OnnxOp.CONV).hint(c.name()).in(x, c.name() + ".weight");
        if (c.bias()) {
          n.in(c.name() + ".bias");
        }
        return n.ints("kernel_shape", c.kernel(), c.kernel()).ints("strides", c.stride(), c.stride())
            .ints("pads", c.padding(), c.padding(), c.padding(), c.padding()).attr("group", (long) c.groups()).out();
      }
      if (l instanceof BatchNorm bn) {
        return batchNorm(bn, x, in, tape, branchOf);
      }
      if (l instanceof Relu) {
        String y = g.node(OnnxOp.RELU).in(x).out();
        tape.add(new ReluRec(y));
        return y;
      }
      if (l instanceof Linear lin) {
        tape.add(new LinearRec(lin, x));
        GraphBuilder.Node n = g.node(OnnxOp.GEMM).hint(lin.name()).in(x, lin.name() + ".weight");
        if (lin.bias()) {
          n.in(lin.name() + ".bias");
        }
        return n.attr("transB", 1L).out();
      }
      if (l instanceof GlobalAvgPool) {
        tape.add(new GapRec(in, blocked(x)));
        if (blocked(x)) {
          // [N, C/B, H, W, B] -> [N, C/B, B] -> [N, C]: channel order is block-major, as in NCHW.
          return g.node(OnnxOp.FLATTEN).in(reduce(OnnxOp.REDUCE_MEAN, x, new long[] {2, 3}, false, "gap")).attr("axis",
              1L).out();
        }
        String p = g.node(OnnxOp.GLOBAL_AVERAGE_POOL).in(x).out();
        return g.node(OnnxOp.FLATTEN).in(p).attr("axis", 1L).out();
      }
      if (l instanceof Flatten) {
        if (in.rank() == 1) {
          return x;
        }
        tape.add(new FlattenRec(in, blocked(x)));
        return g.node(OnnxOp.FLATTEN).in(plain(x, in)).attr("axis", 1L).out();
      }
      if (l instanceof SubsamplePad sp) {
        Shape out = sp.outputShape(in);
        tape.add(new SubsampleRec(sp, in, out));
        String v = x;
        if (sp.stride() > 1) {
          v = g.node(OnnxOp.SLICE).hint("subsample").in(v, g.int64s(0, 0), g.int64s(Long.MAX_VALUE, Long.MAX_VALUE),
              g.int64s(2, 3), g.int64s(sp.stride(), sp.stride())).out();
        }
        if (sp.outChannels() > sp.inChannels()) {
          int extra = sp.outChannels() - sp.inChannels();
          String pads = blocked(v) ? g.int64s(0, 0, 0, 0, 0, 0, extra / nchwc.block(), 0, 0, 0)
              : g.int64s(0, 0, 0, 0, 0, extra, 0, 0);
          v = g.node(OnnxOp.PAD).hint("padchannels").in(v, pads).out();
        }
        return v;
      }
      throw new IllegalStateException("unhandled layer " + l);
    }

    String batchNorm(BatchNorm bn, String x, Shape in, List<Rec> tape, int branchOf) {
      String p = bn.name();
      String gamma = p + ".gamma";
      String beta = p + ".beta";
      if (!train) {
        String rm = p + ".running_mean";
        String rv = p + ".running_var";
        tape.add(new BnRec(bn, x, in, rm, rv, null, null));
        if (blocked(x)) {
          String scale = g.node(OnnxOp.MUL).in(gamma, invStd(rv, bn.eps(), p)).out();
          String shift = g.node(OnnxOp.SUB).in(beta, g.node(OnnxOp.MUL).in(rm, scale).out()).out();
          return defer(new PendingAffine(p, x, in, scale, shift, null));
        }
        return g.node(OnnxOp.BATCH_NORMALIZATION).hint(p).in(x, gamma, beta, rm, rv)
            .attr("epsilon", (float) bn.eps()).out();
      }
      // Batch statistics with plain operators. ONNX Runtime's BatchNormalization in training mode aliases its
      // running-statistic outputs to its inputs (it writes the batch statistics into the caller's tensors), which
      // would corrupt the session's state; the two-pass variance here is also accurate to float32 rounding. The
      // normalisation itself is the inference-mode operator fed with the batch statistics: one pass.
      boolean spatial = in.rank() == 3;
      int c = bn.channels();
      String mean = perChannel(OnnxOp.REDUCE_MEAN, x, spatial, true, p + ".batch_mean");
      String centred = g.node(OnnxOp.SUB).hint(p + ".centred").in(x, mean).out();
      String var = perChannel(OnnxOp.REDUCE_MEAN, g.node(OnnxOp.MUL).in(centred, centred).out(), spatial, true,
          p + ".batch_var");
      String flatMean = g.node(OnnxOp.RESHAPE).in(mean, g.int64s(c)).out();
      String flatVar = g.node(OnnxOp.RESHAPE).in(var, g.int64s(c)).out();
      // Normalising the centred tensor (mean 0) rather than x keeps x * s + (beta - mean * s) from cancelling digits
      // when |mean| is large against the standard deviation.
      String y;
      if (blocked(x)) {
        y = defer(new PendingAffine(p, centred, in, g.node(OnnxOp.MUL).in(gamma, invStd(flatVar, bn.eps(), p)).out(),
            beta, null));
      } else {
        y = g.node(OnnxOp.BATCH_NORMALIZATION).hint(p).in(centred, gamma, beta, zeros(c), flatVar)
            .attr("epsilon", (float) bn.eps()).out();
      }
      String inv = plan.differentiates() ? invStd(var, bn.eps(), p) : null;
      tape.add(new BnRec(bn, x, in, flatMean, flatVar, centred, inv));
      if (plan.purpose() == Purpose.TRAIN_STEP) {
        stats.add(new BnStat(bn, branchOf, in, flatMean, flatVar));
      }
      return y;
    }

    /** Reserves a value name for {@code a}, emitted by {@link #ready} or folded into a following ReLU or merge. */
    String defer(PendingAffine a) {
      String name = g.fresh(a.hint());
      pending.put(name, a);
      return name;
    }

    /** {@code v}, emitting it first (under its own name) if it is a {@link PendingAffine}. */
    String ready(String v) {
      PendingAffine a = pending.remove(v);
      return a == null ? v : emitAffine(a, false, v);
    }

    String emitAffine(PendingAffine a, boolean relu, String name) {
      return nchwc.affine(a.hint(), a.centred(), a.shape(), a.scale(), a.shift(), a.addend(), relu, name);
    }

    /** 1 / sqrt(var + eps), elementwise. */
    String invStd(String var, double eps, String p) {
      return g.node(OnnxOp.RECIPROCAL).hint(p + ".inv_std").in(g.node(OnnxOp.SQRT)
          .in(g.node(OnnxOp.ADD).in(var, g.scalar((float) eps)).out()).out()).out();
    }

    /** Whether a spatial value is held blocked: in a blocked graph, all but those in {@link #nchw}. */
    boolean blocked(String v) {
      return nchwc != null && !nchw.contains(v);
    }

    /** {@code v}, a spatial value computed in NCHW, marked as such. */
    String markNchw(String v) {
      nchw.add(v);
      return v;
    }

    /** Spatial value {@code v} of per-example shape {@code s} in NCHW: as is, or converted (once) from blocked. */
    String plain(String v, Shape s) {
      if (!blocked(v)) {
        return v;
      }
      return plainCopies.computeIfAbsent(v, k -> markNchw(nchwc.toPlain(k, s)));
    }

    BlockRec block(Block b, String x, Shape in) {
      List<Rec> branchTape = new ArrayList<>();
      List<Rec> shortcutTape = new ArrayList<>();
      List<Rec> postTape = new ArrayList<>();
      String f = layers(b.branch(), x, in, branchTape, b.index(), b.name() + "/branch/");
      Shape merged = shapeAfter(b.branch(), in);
      // A plain block with gate 1 weights its shortcut by 1 - g = 0: it is skipped, unless a training step must
      // update the statistics of a BatchNorm layer in it.
      boolean runShortcut = b.residual() || plan.gated() || plan.purpose() == Purpose.ACTIVATIONS
          || (plan.purpose() == Purpose.TRAIN_STEP && b.shortcut().stream().anyMatch(l -> l instanceof BatchNorm));
      String z;
      if (!runShortcut) {
        z = f; // plain block with gate 1: the shortcut has weight 1 - g = 0
      } else {
        String s = ready(layers(b.shortcut(), ready(x), in, shortcutTape, -1, b.name() + "/shortcut/"));
        PendingAffine a = b.residual() ? pending.get(f) : null;
        if (a != null && a.addend() == null) {
          // The branch ends in a blocked BatchNorm: the merge becomes its affine's addend (with the gate folded into
          // its scale and shift), emitted together with a following ReLU.
          String gs = plan.gated() ? gate(b.index()) : null;
          z = defer(new PendingAffine(b.name() + ".merge", a.centred(), a.shape(), scaled(a.scale(), gs),
              scaled(a.shift(), gs), s));
        } else if (b.residual()) {
          f = ready(f);
          z = g.node(OnnxOp.ADD).hint(b.name() + ".merge").in(s, plan.gated() ? scaled(f, gate(b.index())) : f).out();
        } else if (!plan.gated()) {
          z = f; // the shortcut ran only to update its statistics
        } else {
          z = g.node(OnnxOp.ADD).hint(b.name() + ".merge").in(scaled(s, oneMinusGate(b.index())),
              scaled(ready(f), gate(b.index()))).out();
        }
      }
      probe(b.name() + "/merge", z);
      lastOutput = layers(b.post(), z, merged, postTape, -1, b.name() + "/post/");
      probe(b.name(), lastOutput);
      return new BlockRec(b, branchTape, shortcutTape, postTape, runShortcut);
    }

    String scaled(String v, String factor) {
      return factor == null ? v : g.node(OnnxOp.MUL).in(v, factor).out();
    }

    /** g_b as a [1] tensor. */
    String gate(int b) {
      return gateCache.computeIfAbsent(b, i -> g.node(OnnxOp.SLICE).hint("gate" + i)
          .in(GraphNames.GATES, g.int64s(i), g.int64s(i + 1), g.int64s(0)).out());
    }

    String oneMinusGate(int b) {
      return oneMinusGateCache.computeIfAbsent(b, i -> g.node(OnnxOp.SUB).hint("one_minus_gate" + i)
          .in(g.scalar(1f), gate(i)).out());
    }

    String mask(String input, int b) {
      return maskCache.computeIfAbsent(input + "/" + b, k -> g.node(OnnxOp.SLICE).hint(input + b)
          .in(input, g.int64s(b), g.int64s(b + 1), g.int64s(0)).out());
    }

    /** N as a float scalar, from the input's shape. */
    String batchSize() {
      if (batchSizeValue == null) {
        String shape = g.node(OnnxOp.SHAPE).in(GraphNames.INPUT).out();
        String n = g.node(OnnxOp.GATHER).in(shape, g.int64Scalar(0)).attr("axis", 0L).out();
        batchSizeValue = g.node(OnnxOp.CAST).hint("batch_size").in(n).attr("to", (long) ElemType.FLOAT.code()).out();
      }
      return batchSizeValue;
    }

    String invBatch() {
      if (invBatch == null) {
        invBatch = g.node(OnnxOp.RECIPROCAL).hint("inv_batch").in(batchSize()).out();
      }
      return invBatch;
    }

    // ---- objective ----

    /** Emits the objective output and returns d objective / d logits. */
    String objective(String logits) {
      if (plan.objective() == ObjectiveKind.CROSS_ENTROPY) {
        String lp = g.node(OnnxOp.LOG_SOFTMAX).in(logits).attr("axis", 1L).out();
        String oneHot = g.node(OnnxOp.ONE_HOT).hint("one_hot")
            .in(GraphNames.LABELS, g.int64s(spec.outputs()), g.floats(new long[] {2}, 0f, 1f)).attr("axis", -1L).out();
        String picked = g.node(OnnxOp.MUL).in(lp, oneHot).out();
        String sum = g.node(OnnxOp.REDUCE_SUM).in(picked).attr("keepdims", 0L).out();
        String mean = g.node(OnnxOp.MUL).in(sum, invBatch()).out();
        String loss = g.node(OnnxOp.NEG).in(mean).out(GraphNames.OBJECTIVE);
        g.output(GraphNames.OBJECTIVE, loss, ElemType.FLOAT);
        String p = g.node(OnnxOp.EXP).hint("softmax").in(lp).out();
        String diff = g.node(OnnxOp.SUB).in(p, oneHot).out();
        return g.node(OnnxOp.MUL).hint("d_logits").in(diff, invBatch()).out();
      }
      String prod = g.node(OnnxOp.MUL).in(GraphNames.COTANGENT, logits).out();
      String obj = g.node(OnnxOp.REDUCE_SUM).in(prod).attr("keepdims", 0L).out(GraphNames.OBJECTIVE);
      g.output(GraphNames.OBJECTIVE, obj, ElemType.FLOAT);
      return GraphNames.COTANGENT;
    }

    // ---- backward ----

    /** Backpropagates {@code dy} through a recorded sequence; {@code needDx} for its first layer. */
    String backLayers(List<Rec> tape, String dy, boolean needDx) {
      return backLayers(tape, dy, needDx, null);
    }

    /**
     * As {@link #backLayers(List, String, boolean)}, returning the input gradient plus {@code addend} (when not null):
     * a first layer that is a blocked stride-1 convolution adds it in its own pass (NCHWc Conv's Sum input).
     */
    String backLayers(List<Rec> tape, String dy, boolean needDx, String addend) {
      String d = dy;
      for (int i = tape.size() - 1; i >= 1; i--) {
        d = backLayer(tape.get(i), d, true);
      }
      if (!tape.isEmpty() && tape.get(0) instanceof ConvRec c) {
        return backConv(c, d, needDx, addend);
      }
      if (!tape.isEmpty()) {
        d = backLayer(tape.get(0), d, needDx);
      }
      return addend == null ? d : g.node(OnnxOp.ADD).in(d, addend).out();
    }

    String backLayer(Rec r, String dy, boolean needDx) {
      if (r instanceof ConvRec c) {
        return backConv(c, dy, needDx, null);
      }
      if (r instanceof BnRec b) {
        return backBatchNorm(b, dy);
      }
      if (r instanceof ReluRec relu) {
        String pos = g.node(OnnxOp.GREATER).in(relu.y(), g.scalar(0f)).out();
        String mask = g.node(OnnxOp.CAST).in(pos).attr("to", (long) ElemType.FLOAT.code()).out();
        return g.node(OnnxOp.MUL).hint("d_relu").in(dy, mask).out();
      }
      if (r instanceof LinearRec l) {
        Linear lin = l.linear();
        if (wantParamGrads()) {
          grad(lin.name() + ".weight", g.node(OnnxOp.GEMM).hint("d_" + lin.name() + ".weight").in(dy, l.x())
              .attr("transA", 1L).out());
          if (lin.bias()) {
            grad(lin.name() + ".bias", g.node(OnnxOp.REDUCE_SUM).in(dy, g.int64s(0)).attr("keepdims", 0L).out());
          }
        }
        return needDx ? g.node(OnnxOp.MATMUL).hint("d_" + lin.name()).in(dy, lin.name() + ".weight").out() : null;
      }
      if (r instanceof GapRec gap) {
        int c = gap.in().dim(0);
        int h = gap.in().dim(1);
        int w = gap.in().dim(2);
        float[] spread = new float[h * w];
        Arrays.fill(spread, 1f / (h * w));
        if (gap.blocked()) {
          int b = nchwc.block();
          String d5 = g.node(OnnxOp.RESHAPE).in(dy, g.int64s(-1, c / b, 1, 1, b)).out();
          return g.node(OnnxOp.MUL).hint("d_gap").in(d5, g.floats(new long[] {1, 1, h, w, 1}, spread)).out();
        }
        String d4 = g.node(OnnxOp.RESHAPE).in(dy, g.int64s(-1, c, 1, 1)).out();
        return g.node(OnnxOp.MUL).hint("d_gap").in(d4, g.floats(new long[] {1, 1, h, w}, spread)).out();
      }
      if (r instanceof FlattenRec f) {
        String d4 = g.node(OnnxOp.RESHAPE).in(dy, g.int64s(batchShape(f.in()))).out();
        return f.blocked() ? nchwc.fromPlain(d4, f.in()) : markNchw(d4);
      }
      if (r instanceof SubsampleRec s) {
        return backSubsample(s, dy);
      }
      if (r instanceof BlockRec b) {
        return backBlock(b, dy);
      }
      throw new IllegalStateException("unhandled record " + r);
    }

    boolean wantParamGrads() {
      return plan.parameterGradients();
    }

    void grad(String param, String value) {
      if (grads.put(param, value) != null) {
        throw new IllegalStateException("parameter '" + param + "' is used twice; gradients would need summing");
      }
    }

    String requireGrad(ParameterSpec p) {
      String v = grads.get(p.name());
      if (v == null) {
        throw new IllegalStateException("no gradient was generated for '" + p.name() + "'");
      }
      return v;
    }

    /**
     * The convolution's gradients; returns dX plus {@code addend} (when not null), or without {@code needDx} just
     * {@code addend} (null when none).
     */
    String backConv(ConvRec r, String dy, boolean needDx, String addend) {
      Conv2d c = r.conv();
      String w = c.name() + ".weight";
      int k = c.kernel();
      int s = c.stride();
      int p = c.padding();
      int groups = c.groups();
      int ci = c.inChannels();
      int co = c.outChannels();
      int cg = ci / groups;
      int og = co / groups;
      int ho = r.out().dim(1);
      int wo = r.out().dim(2);
      if (wantParamGrads()) {
        // Weight gradients are formed in NCHW: on blocked activations the patches and MatMuls were slower
        // (measured), and converting x and dY costs one pass each.
        grad(w, weightGradient(r, plain(r.x(), r.in()), plain(dy, r.out())));
        if (c.bias()) {
          grad(c.name() + ".bias", perChannel(OnnxOp.REDUCE_SUM, dy, true, false, "d_" + c.name() + ".bias"));
        }
      }
      if (!needDx) {
        return addend;
      }
      int h = r.in().dim(1);
      int wd = r.in().dim(2);
      if (s == 1 && k - 1 - p >= 0) {
        // dX = conv(dY, W'), W' = W with in/out channels swapped per group and both spatial axes reversed.
        String swapped;
        if (groups == 1) {
          swapped = g.node(OnnxOp.TRANSPOSE).in(w).ints("perm", 1, 0, 2, 3).out();
        } else {
          String w5 = g.node(OnnxOp.RESHAPE).in(w, g.int64s(groups, og, cg, k, k)).out();
          String t5 = g.node(OnnxOp.TRANSPOSE).in(w5).ints("perm", 0, 2, 1, 3, 4).out();
          swapped = g.node(OnnxOp.RESHAPE).in(t5, g.int64s(ci, og, k, k)).out();
        }
        String flipped = k == 1 ? swapped : g.node(OnnxOp.SLICE).hint("flip").in(swapped, g.int64s(-1, -1),
            g.int64s(Long.MIN_VALUE, Long.MIN_VALUE), g.int64s(2, 3), g.int64s(-1, -1)).out();
        int q = k - 1 - p;
        if (blocked(r.x()) && (addend == null || blocked(addend))) {
          return nchwc.conv("d_" + c.name(), dy, false, r.out(), nchwc.filter(flipped, ci, co, k), null, addend,
              r.in(), k, 1, q);
        }
        return plus(markNchw(g.node(OnnxOp.CONV).hint("d_" + c.name()).in(plain(dy, r.out()), flipped)
            .ints("kernel_shape", k, k).ints("strides", 1, 1).ints("pads", q, q, q, q).attr("group", (long) groups)
            .out()), addend);
      }
      // The forward output size floors away (H + 2p - k) mod s rows; output_padding restores them. No blocked
      // transposed convolution exists: in a blocked graph this one runs in NCHW.
      long oph = h + 2L * p - k - (long) (ho - 1) * s;
      long opw = wd + 2L * p - k - (long) (wo - 1) * s;
      String dx = g.node(OnnxOp.CONV_TRANSPOSE).hint("d_" + c.name()).in(plain(dy, r.out()), w)
          .ints("kernel_shape", k, k).ints("strides", s, s).ints("pads", p, p, p, p).ints("output_padding", oph, opw)
          .attr("group", (long) groups).out();
      return plus(blocked(r.x()) ? nchwc.fromPlain(dx, r.in()) : markNchw(dx), addend);
    }

    /** {@code v + addend}, or {@code v} when {@code addend} is null. */
    String plus(String v, String addend) {
      return addend == null ? v : g.node(OnnxOp.ADD).in(v, addend).out();
    }

    /**
     * dW of the convolution of {@code r} from NCHW {@code x} and {@code dy}, summed over
     * {@link #weightGradientChunks} slices of the batch (see {@link GraphTarget}).
     */
    String weightGradient(ConvRec r, String x, String dy) {
      Conv2d c = r.conv();
      boolean separable = c.stride() == 1 && c.groups() == 1 && c.kernel() > 1 && c.padding() <= c.kernel() - 1;
      long hw = (long) r.out().dim(1) * r.out().dim(2);
      long patchBytes = 4 * hw * (separable ? (long) c.kernel() * Math.max(c.inChannels(), c.outChannels())
          : (long) c.inChannels() * c.kernel() * c.kernel());
      // Slicing pays only where a batch's patches outgrow the cache; small layers keep one slice (fewer nodes).
      int chunks = patchBytes >= MIN_SLICED_PATCH_BYTES ? weightGradientChunks : 1;
      String sum;
      if (chunks == 1) {
        sum = separable ? separableProducts(r, x, dy) : im2colProducts(r, x, dy);
      } else {
        String[] xs = batchChunks(x);
        String[] ds = batchChunks(dy);
        sum = null;
        for (int q = 0; q < chunks; q++) {
          String part = separable ? separableProducts(r, xs[q], ds[q]) : im2colProducts(r, xs[q], ds[q]);
          sum = sum == null ? part : g.node(OnnxOp.ADD).in(sum, part).out();
        }
      }
      return separable ? separableWeights(r, sum) : im2colWeights(r, sum);
    }

    /**
     * {@code v} split along the batch into {@link #weightGradientChunks} slices, slice q holding rows
     * [floor(q N / k), floor((q + 1) N / k)); slices are empty when N < k.
     */
    String[] batchChunks(String v) {
      int k = weightGradientChunks;
      if (chunkSizes == null) {
        long[] qs = new long[k + 1];
        for (int q = 0; q <= k; q++) {
          qs[q] = q;
        }
        String n = g.node(OnnxOp.SHAPE).in(GraphNames.INPUT).attr("start", 0L).attr("end", 1L).out();
        String bounds = g.node(OnnxOp.DIV).in(g.node(OnnxOp.MUL).in(n, g.int64s(qs)).out(), g.int64s(k)).out();
        String upper = g.node(OnnxOp.SLICE).in(bounds, g.int64s(1), g.int64s(k + 1), g.int64s(0)).out();
        String lower = g.node(OnnxOp.SLICE).in(bounds, g.int64s(0), g.int64s(k), g.int64s(0)).out();
        chunkSizes = g.node(OnnxOp.SUB).hint("batch_chunk_sizes").in(upper, lower).out();
      }
      return g.node(OnnxOp.SPLIT).hint("batch_chunk").in(v, chunkSizes).attr("axis", 0L).outs(k);
    }

    /**
     * im2col weight-gradient products of a batch: {@code [g, Cg*k*k, Og]} summed over the batch, with
     * P[n, c*k*k + i*k + j, y, x] = xpad[n, c, s*y + i, s*x + j]; {@link #im2colWeights} turns a sum of them into dW.
     */
    String im2colProducts(ConvRec r, String x, String dy) {
      Conv2d c = r.conv();
      int k = c.kernel();
      int s = c.stride();
      int p = c.padding();
      int groups = c.groups();
      int ci = c.inChannels();
      long hw = (long) r.out().dim(1) * r.out().dim(2);
      String patches;
      if (k == 1 && p == 0) {
        patches = s == 1 ? x : g.node(OnnxOp.SLICE).hint("subsample").in(x, g.int64s(0, 0),
            g.int64s(Long.MAX_VALUE, Long.MAX_VALUE), g.int64s(2, 3), g.int64s(s, s)).out();
      } else {
        patches = g.node(OnnxOp.CONV).hint("im2col_" + c.name()).in(x, oneHotKernels(ci, k))
            .ints("kernel_shape", k, k).ints("strides", s, s).ints("pads", p, p, p, p).attr("group", (long) ci).out();
      }
      String pr = g.node(OnnxOp.RESHAPE).in(patches, g.int64s(-1, groups, (long) ci / groups * k * k, hw)).out();
      String dr = g.node(OnnxOp.RESHAPE).in(dy, g.int64s(-1, groups, c.outChannels() / groups, hw)).out();
      String dt = g.node(OnnxOp.TRANSPOSE).in(dr).ints("perm", 0, 1, 3, 2).out();
      String prod = g.node(OnnxOp.MATMUL).in(pr, dt).out(); // [N, g, Cg*k*k, Og]
      return g.node(OnnxOp.REDUCE_SUM).in(prod, g.int64s(0)).attr("keepdims", 0L).out();
    }

    /** dW {@code [Co, Cg, k, k]} from summed {@link #im2colProducts}. */
    String im2colWeights(ConvRec r, String products) {
      Conv2d c = r.conv();
      String t = g.node(OnnxOp.TRANSPOSE).in(products).ints("perm", 0, 2, 1).out(); // [g, Og, Cg*k*k]
      return g.node(OnnxOp.RESHAPE).hint("d_" + c.name() + ".weight").in(t, g.int64s(c.outChannels(),
          c.inChannels() / c.groups(), c.kernel(), c.kernel())).out();
    }

    /**
     * dW of a stride-1, ungrouped convolution from two one-dimensional patch sets instead of one k*k im2col (6x
     * instead of 9x the activation memory for 3x3):
     * {@code P[n, c*k + j, y, x] = xpad[n, c, y, x + j]} (horizontal taps of x) and
     * {@code Q[n, o*k + i, y, x] = dY[n, o, y + p - i, x]} (vertical shifts of dY, zero outside), so that
     * {@code dW[o, c, i, j] = sum over n, y, x of Q[n, o*k + i] * P[n, c*k + j]}: a batched MatMul and a ReduceSum,
     * giving {@code [Co*k, Ci*k]}; {@link #separableWeights} turns a sum of them into dW. {@code x} and {@code dy} are
     * NCHW.
     */
    String separableProducts(ConvRec r, String x, String dy) {
      Conv2d c = r.conv();
      int k = c.kernel();
      int p = c.padding();
      int ci = c.inChannels();
      int co = c.outChannels();
      int h = r.in().dim(1);
      int wo = r.out().dim(2);
      int t = k - 1 - p;
      String rows = g.node(OnnxOp.CONV).hint("taps_" + c.name()).in(x, oneHotTaps(ci, k, false))
          .ints("kernel_shape", 1, k).ints("pads", 0, p, 0, p).attr("group", (long) ci).out(); // [N, Ci*k, H, Wo]
      String cols = g.node(OnnxOp.CONV).hint("shifts_" + c.name()).in(dy, oneHotTaps(co, k, true))
          .ints("kernel_shape", k, 1).ints("pads", t, 0, t, 0).attr("group", (long) co).out(); // [N, Co*k, H, Wo]
      long hw = (long) h * wo;
      String pr = g.node(OnnxOp.RESHAPE).in(rows, g.int64s(-1, (long) ci * k, hw)).out();
      String qr = g.node(OnnxOp.RESHAPE).in(cols, g.int64s(-1, (long) co * k, hw)).out();
      if ((long) ci * co * k >= (ci + co) * hw) {
        // Each image's product [Co*k, Ci*k] is larger than its patches (deep layers, small images): fold the batch
        // into the contraction, [Co*k, N*HW] x [N*HW, Ci*k], instead of writing N products and summing them
        // (measured: 4% of ResNet-20's training step, from its 8x8 layers).
        String pf = g.node(OnnxOp.RESHAPE).in(g.node(OnnxOp.TRANSPOSE).in(pr).ints("perm", 1, 0, 2).out(),
            g.int64s((long) ci * k, -1)).out();
        String qf = g.node(OnnxOp.RESHAPE).in(g.node(OnnxOp.TRANSPOSE).in(qr).ints("perm", 1, 0, 2).out(),
            g.int64s((long) co * k, -1)).out();
        return g.node(OnnxOp.MATMUL).in(qf, g.node(OnnxOp.TRANSPOSE).in(pf).ints("perm", 1, 0).out()).out();
      }
      String pt = g.node(OnnxOp.TRANSPOSE).in(pr).ints("perm", 0, 2, 1).out();
      String prod = g.node(OnnxOp.MATMUL).in(qr, pt).out(); // [N, Co*k, Ci*k]
      return g.node(OnnxOp.REDUCE_SUM).in(prod, g.int64s(0)).attr("keepdims", 0L).out();
    }

    /** dW {@code [Co, Ci, k, k]} from summed {@link #separableProducts}. */
    String separableWeights(ConvRec r, String products) {
      Conv2d c = r.conv();
      int k = c.kernel();
      String w4 = g.node(OnnxOp.RESHAPE).in(products, g.int64s(c.outChannels(), k, c.inChannels(), k)).out();
      return g.node(OnnxOp.TRANSPOSE).hint("d_" + c.name() + ".weight").in(w4).ints("perm", 0, 2, 1, 3).out();
    }

    /**
     * One-hot kernels for {@link #separableWeightGradient}: horizontal [C*k, 1, 1, k] with channel c*k + j picking
     * tap j, or vertical [C*k, 1, k, 1] with channel c*k + i picking row k - 1 - i.
     */
    String oneHotTaps(int channels, int k, boolean vertical) {
      float[] v = new float[channels * k * k];
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < k; i++) {
          v[(c * k + i) * k + (vertical ? k - 1 - i : i)] = 1f;
        }
      }
      return g.floats(vertical ? new long[] {(long) channels * k, 1, k, 1} : new long[] {(long) channels * k, 1, 1, k},
          v);
    }

    /** The constant im2col kernels [C*k*k, 1, k, k]: output channel c*k*k + i*k + j picks offset (i, j) of channel c. */
    String oneHotKernels(int channels, int k) {
      float[] v = new float[channels * k * k * k * k];
      for (int c = 0; c < channels; c++) {
        for (int t = 0; t < k * k; t++) {
          int out = c * k * k + t;
          v[out * k * k + t] = 1f;
        }
      }
      return g.floats(new long[] {(long) channels * k * k, 1, k, k}, v);
    }

    String backBatchNorm(BnRec r, String dy) {
      BatchNorm bn = r.bn();
      String p = bn.name();
      boolean spatial = r.in().rank() == 3;
      int c = bn.channels();
      String gamma = p + ".gamma";
      if (!train) {
        // Statistics are constants: dx = dy * gamma / sqrt(running_var + eps).
        String inv = invStd(r.var(), bn.eps(), p);
        if (wantParamGrads()) {
          String centred = g.node(OnnxOp.SUB).in(r.x(), channelwise(r.mean(), c, spatial, r.x())).out();
          String xhat = g.node(OnnxOp.MUL).hint(p + ".xhat").in(centred, channelwise(inv, c, spatial, r.x())).out();
          grad(gamma, perChannel(OnnxOp.REDUCE_SUM, g.node(OnnxOp.MUL).in(dy, xhat).out(), spatial, false, "d_" + gamma));
          grad(p + ".beta", perChannel(OnnxOp.REDUCE_SUM, dy, spatial, false, "d_" + p + ".beta"));
        }
        String a = g.node(OnnxOp.MUL).in(gamma, inv).out();
        return g.node(OnnxOp.MUL).hint("d_" + p).in(dy, channelwise(a, c, spatial, dy)).out();
      }
      // With xhat = centred * inv and a = gamma * inv:
      //   dbeta = sum(dy), dgamma = inv * sum(dy * centred),
      //   dx = a * (dy - dbeta/M - xhat * dgamma/M) = a * dy + (centred * k1 + k0),
      //   k1 = -a * inv * dgamma / M, k0 = -a * dbeta / M, M = N * H * W.
      // NCHW: the per-channel affine term is one pass (BatchNormalization with mean 0 and variance 1 - eps), plus a
      // Mul and an Add. Blocked: two depthwise 1x1 convolutions, the second adding the first's output.
      String dbeta = perChannel(OnnxOp.REDUCE_SUM, dy, spatial, false, "d_" + p + ".beta");
      String sdc = perChannel(OnnxOp.REDUCE_SUM, g.node(OnnxOp.MUL).in(dy, r.centred()).out(), spatial, false, "sdc");
      String inv = g.node(OnnxOp.RESHAPE).in(r.inv(), g.int64s(c)).out();
      String dgamma = g.node(OnnxOp.MUL).hint("d_" + gamma).in(sdc, inv).out();
      if (wantParamGrads()) {
        grad(gamma, dgamma);
        grad(p + ".beta", dbeta);
      }
      String a = g.node(OnnxOp.MUL).in(gamma, inv).out(); // [C]
      long hw = spatial ? (long) r.in().dim(1) * r.in().dim(2) : 1;
      String invM = hw == 1 ? invBatch() : g.node(OnnxOp.MUL).in(invBatch(), g.scalar(1f / hw)).out();
      String aOverM = g.node(OnnxOp.NEG).in(g.node(OnnxOp.MUL).in(a, invM).out()).out();
      String k1 = g.node(OnnxOp.MUL).in(g.node(OnnxOp.MUL).in(aOverM, inv).out(), dgamma).out();
      String k0 = g.node(OnnxOp.MUL).in(aOverM, dbeta).out();
      if (spatial && blocked(dy)) {
        String scaledDy = nchwc.affine("scaled_d_" + p, dy, r.in(), a, null, null);
        return nchwc.affine("d_" + p, r.centred(), r.in(), k1, k0, scaledDy);
      }
      String affine = g.node(OnnxOp.BATCH_NORMALIZATION).in(r.centred(), k1, k0, zeros(c), oneMinusEps(c, bn.eps()))
          .attr("epsilon", (float) bn.eps()).out();
      String scaledDy = g.node(OnnxOp.MUL).in(dy, channelwise(a, c, spatial, dy)).out();
      return g.node(OnnxOp.ADD).hint("d_" + p).in(scaledDy, affine).out();
    }

    String zeros(int c) {
      return g.floats(new long[] {c}, new float[c]);
    }

    /** A variance that makes BatchNormalization's denominator sqrt(var + eps) 1 (to float32 rounding). */
    String oneMinusEps(int c, double eps) {
      float[] v = new float[c];
      Arrays.fill(v, (float) (1 - eps));
      return g.floats(new long[] {c}, v);
    }

    /**
     * The sum or mean ({@code op} is REDUCE_SUM or REDUCE_MEAN) of {@code v} per channel, over the batch and, when
     * {@code spatial}, the spatial axes: [C], or with {@code keepdims} shaped to broadcast against {@code v}. A
     * spatial reduction runs in two steps, the spatial axes first and then the batch: on ONNX Runtime's CPU provider
     * that is about twice as fast as one reduction over (0, 2, 3), and it sums in shorter chains.
     */
    String perChannel(OnnxOp op, String v, boolean spatial, boolean keepdims, String hint) {
      String r = spatial ? reduce(op, v, new long[] {2, 3}, keepdims, hint) : v;
      r = reduce(op, r, new long[] {0}, keepdims, hint);
      // Blocked: [1, C/B, 1, 1, B] broadcasts as it is; without keepdims [C/B, B] is flattened to [C].
      return spatial && blocked(v) && !keepdims ? g.node(OnnxOp.RESHAPE).in(r, g.int64s(-1)).out() : r;
    }

    /** One ReduceSum (axes an input since opset 13) or ReduceMean (axes an attribute until opset 18). */
    String reduce(OnnxOp op, String v, long[] axes, boolean keepdims, String hint) {
      GraphBuilder.Node n = g.node(op).hint(hint);
      if (op == OnnxOp.REDUCE_SUM) {
        n.in(v, g.int64s(axes));
      } else if (op == OnnxOp.REDUCE_MEAN) {
        n.in(v).ints("axes", axes);
      } else {
        throw new IllegalArgumentException("reduce: " + op + "; allowed: REDUCE_SUM, REDUCE_MEAN");
      }
      return n.attr("keepdims", keepdims ? 1L : 0L).out();
    }

    /**
     * A [C] vector shaped to broadcast over {@code like}: NCHW ([1, C, 1, 1]), blocked ([1, C/B, 1, 1, B]) or NC
     * (as is).
     */
    String channelwise(String v, int c, boolean spatial, String like) {
      if (!spatial) {
        return v;
      }
      return blocked(like) ? nchwc.channelwise(v, c) : g.node(OnnxOp.RESHAPE).in(v, g.int64s(1, c, 1, 1)).out();
    }

    String backSubsample(SubsampleRec r, String dy) {
      SubsamplePad sp = r.pad();
      String d = dy;
      boolean blockedIn = blocked(dy);
      if (sp.outChannels() > sp.inChannels()) {
        int keep = blockedIn ? sp.inChannels() / nchwc.block() : sp.inChannels();
        d = g.node(OnnxOp.SLICE).hint("drop_padded_channels").in(d, g.int64s(0), g.int64s(keep), g.int64s(1)).out();
      }
      int s = sp.stride();
      if (s == 1) {
        return d;
      }
      if (blockedIn) {
        // No blocked transposed convolution exists: scatter in NCHW (the subsampled tensor is the smaller one).
        d = plain(d, Shape.of(sp.inChannels(), r.out().dim(1), r.out().dim(2)));
      }
      // Scatter back to the subsampled positions with a depthwise 1x1 ConvTranspose of stride s and unit kernels:
      // about ten times faster on ONNX Runtime's CPU provider than padding a [N, C, Ho, 1, Wo, 1] view.
      // The forward Slice kept ceil(H / s) rows, so output_padding H - (Ho - 1) * s - 1 lies in [0, s).
      int c = sp.inChannels();
      long oph = r.in().dim(1) - (long) (r.out().dim(1) - 1) * s - 1;
      long opw = r.in().dim(2) - (long) (r.out().dim(2) - 1) * s - 1;
      float[] ones = new float[c];
      Arrays.fill(ones, 1f);
      String scattered = g.node(OnnxOp.CONV_TRANSPOSE).hint("d_subsample").in(d, g.floats(new long[] {c, 1, 1, 1},
          ones)).ints("kernel_shape", 1, 1).ints("strides", s, s).ints("output_padding", oph, opw)
          .attr("group", (long) c).out();
      return blockedIn ? nchwc.fromPlain(scattered, Shape.of(c, r.in().dim(1), r.in().dim(2))) : markNchw(scattered);
    }

    String backBlock(BlockRec r, String dy) {
      Block b = r.block();
      int i = b.index();
      String dz = backLayers(r.post(), dy, true);
      String branchFactor = product(plan.gated() ? gate(i) : null,
          plan.masked() ? mask(GraphNames.MASK_BRANCH, i) : null);
      if (!r.shortcutRun() || (!b.residual() && !plan.gated())) {
        // no shortcut, or a plain block's shortcut with weight 1 - g = 0
        return backLayers(r.branch(), scaled(dz, branchFactor), true);
      }
      String shortcutFactor = product(!b.residual() ? oneMinusGate(i) : null,
          plan.masked() ? mask(GraphNames.MASK_SHORTCUT, i) : null);
      String dxS = backLayers(r.shortcut(), scaled(dz, shortcutFactor), true);
      return backLayers(r.branch(), scaled(dz, branchFactor), true, dxS); // dX of the branch + dxS
    }

    String product(String a, String b) {
      if (a == null) {
        return b;
      }
      return b == null ? a : g.node(OnnxOp.MUL).in(a, b).out();
    }

    // ---- training step ----

    void sgdUpdate() {
      String lr = GraphNames.LEARNING_RATE;
      for (ParameterSpec p : spec.trainableParameters()) {
        String w = p.name();
        String gr = requireGrad(p);
        String gd = sgd.weightDecay() == 0 ? gr
            : g.node(OnnxOp.ADD).in(gr, g.node(OnnxOp.MUL).in(w, g.scalar((float) sgd.weightDecay())).out()).out();
        String v = GraphNames.velocity(w);
        String vNew = g.node(OnnxOp.ADD).in(g.node(OnnxOp.MUL).in(v, g.scalar((float) sgd.momentum())).out(), gd)
            .out(GraphNames.newVelocity(w));
        String step = sgd.nesterov()
            ? g.node(OnnxOp.ADD).in(gd, g.node(OnnxOp.MUL).in(vNew, g.scalar((float) sgd.momentum())).out()).out()
            : vNew;
        String wNew = g.node(OnnxOp.SUB).in(w, g.node(OnnxOp.MUL).in(step, lr).out()).out(GraphNames.updated(w));
        g.output(GraphNames.updated(w), wNew, ElemType.FLOAT, dims(p.shape()));
        g.output(GraphNames.newVelocity(w), vNew, ElemType.FLOAT, dims(p.shape()));
      }
    }

    void statisticsUpdate() {
      for (BnStat st : stats) {
        BatchNorm bn = st.bn();
        float m = (float) bn.momentum();
        String weight;
        String keep;
        if (st.branchOf() >= 0 && plan.gated()) {
          // A block whose gate is 0 did not run: its branch's statistics keep their values.
          String ran = g.node(OnnxOp.CAST).in(g.node(OnnxOp.NOT).in(g.node(OnnxOp.EQUAL)
              .in(gate(st.branchOf()), g.scalar(0f)).out()).out()).attr("to", (long) ElemType.FLOAT.code()).out();
          weight = g.node(OnnxOp.MUL).in(ran, g.scalar(m)).out();
          keep = g.node(OnnxOp.SUB).in(g.scalar(1f), weight).out();
        } else {
          weight = g.scalar(m);
          keep = g.scalar(1f - m);
        }
        long hw = st.in().rank() == 3 ? (long) st.in().dim(1) * st.in().dim(2) : 1;
        String unbiasedVar = g.node(OnnxOp.MUL).in(st.batchVar(), unbias(hw)).out();
        String rm = bn.name() + ".running_mean";
        String rv = bn.name() + ".running_var";
        String newMean = g.node(OnnxOp.ADD).in(g.node(OnnxOp.MUL).in(rm, keep).out(),
            g.node(OnnxOp.MUL).in(st.batchMean(), weight).out()).out(GraphNames.updated(rm));
        String newVar = g.node(OnnxOp.ADD).in(g.node(OnnxOp.MUL).in(rv, keep).out(),
            g.node(OnnxOp.MUL).in(unbiasedVar, weight).out()).out(GraphNames.updated(rv));
        g.output(GraphNames.updated(rm), newMean, ElemType.FLOAT, bn.channels());
        g.output(GraphNames.updated(rv), newVar, ElemType.FLOAT, bn.channels());
      }
      if (stats.size() != spec.buffers().size() / 2) {
        throw new IllegalStateException("a training step of '" + spec.name() + "' updates " + stats.size()
            + " BatchNorm layers of " + spec.buffers().size() / 2);
      }
    }

    /** M / (M - 1) with M = N * hw values per channel: turns the biased batch variance into the unbiased one. */
    String unbias(long hw) {
      return unbiasCache.computeIfAbsent(hw, k -> {
        String count = k == 1 ? batchSize() : g.node(OnnxOp.MUL).in(batchSize(), g.scalar(k)).out();
        String less = g.node(OnnxOp.SUB).in(count, g.scalar(1f)).out();
        return g.node(OnnxOp.DIV).hint("unbias").in(count, less).out();
      });
    }
  }

  // ---- helpers ----

  /** The per-example shape after applying {@code layers} to {@code in}. */
  public static Shape shapeAfter(List<Layer> layers, Shape in) {
    Shape s = in;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  static long[] dims(Shape s) {
    long[] d = new long[s.rank()];
    for (int i = 0; i < d.length; i++) {
      d[i] = s.dim(i);
    }
    return d;
  }

  static long[] batchShape(Shape s) {
    long[] d = s.withBatch(1);
    d[0] = -1;
    return d;
  }
}
