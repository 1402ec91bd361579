package org.resbench.backend.ort.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.resbench.backend.ort.onnx.GraphBuilder.ElemType;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.Relu;
import org.resbench.harness.spec.Shape;

/**
 * What the collaborators that emit one graph share: the {@link GraphBuilder}, the spec and {@link GraphPlan}, the
 * activation layout (which values are channel-blocked, their NCHW copies), the parameter gradients found so far, and
 * the values every pass reuses (slices of the gates and path masks, the batch size), each emitted once on first use
 * where it is visible (a value first made inside a conditional branch is made again outside it). Node order decides
 * the generated value names, so every cached value lives here, in one place, whichever pass asks first. Created by
 * {@link SpecGraphs} for one graph and discarded with it; not thread-safe.
 */
final class GraphContext {
  final GraphBuilder g;
  final ModelSpec spec;
  final GraphPlan plan;
  /** BatchNorm with batch statistics. */
  final boolean train;
  /** The blocked layout of spatial activations, or null when they are plain NCHW. */
  final NchwcLayout nchwc;
  /** How many batch slices a weight gradient is summed over (see {@link GraphTarget}). */
  final int weightGradientChunks;
  /** Whether a gated training step runs blocks' branches conditionally (see {@link #conditional}). */
  private final boolean conditionalBlocks;

  private final Map<String, String> grads = new LinkedHashMap<>();
  private final Map<Integer, String> gateCache = new HashMap<>();
  private final Map<Integer, String> oneMinusGateCache = new HashMap<>();
  private final Map<Integer, String> gateOnCache = new HashMap<>();
  private final Map<String, String> maskCache = new HashMap<>();
  private String batchSizeValue;
  private String invBatch;
  /** Blocked activations already converted to NCHW (for weight gradients), by name. */
  private final Map<String, String> plainCopies = new HashMap<>();
  /**
   * The spatial values of a blocked graph that are in NCHW nevertheless: the input, NCHW copies, and gradients
   * computed in NCHW (of a first convolution on the plain input).
   */
  private final Set<String> nchw = new HashSet<>(List.of(GraphNames.INPUT));

  GraphContext(ModelSpec spec, GraphPlan plan, int nchwcBlock, int weightGradientChunks, boolean conditionalBlocks) {
    this.g = new GraphBuilder(spec.name() + "-" + plan.purpose().name().toLowerCase(java.util.Locale.ROOT));
    this.spec = spec;
    this.plan = plan;
    this.train = plan.bnMode() == BnMode.TRAIN;
    this.nchwc = nchwcBlock > 0 ? new NchwcLayout(g, nchwcBlock) : null;
    this.weightGradientChunks = weightGradientChunks;
    this.conditionalBlocks = conditionalBlocks;
  }

  /**
   * Whether block {@code b} runs its branch and post inside an ONNX {@code If} on {@code gate != 0} (forward and
   * backward), so that a dropped block's branch costs nothing: in gated training steps (where a gate of exactly 0
   * means the block did not run) of targets with {@link GraphTarget#conditionalBlocks}, for blocks whose post is at
   * most one ReLU (every family's).
   */
  boolean conditional(Block b) {
    return conditionalBlocks && plan.purpose() == GraphPlan.Purpose.TRAIN_STEP && plan.gated()
        && (b.post().isEmpty() || (b.post().size() == 1 && b.post().get(0) instanceof Relu));
  }

  /** A value visible here from {@code cache} under {@code key}, made by {@code make} when missing or out of scope. */
  <K> String cached(Map<K, String> cache, K key, java.util.function.Function<K, String> make) {
    String v = cache.get(key);
    if (v == null || !g.visible(v)) {
      v = make.apply(key);
      cache.put(key, v);
    }
    return v;
  }

  /** Marks {@code outer}, a conditional's output carrying {@code inner}, as laid out like {@code inner}. */
  String sameLayout(String inner, String outer) {
    if (nchwc != null && !blocked(inner)) {
      markNchw(outer);
    }
    return outer;
  }

  // ---- layout ----

  /** Whether a spatial value is held blocked: in a blocked graph, all but those marked NCHW. */
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
    return cached(plainCopies, v, k -> markNchw(nchwc.toPlain(k, s)));
  }

  // ---- parameter gradients ----

  boolean wantParamGrads() {
    return plan.parameterGradients();
  }

  /** The gradient values recorded so far, in order. */
  List<String> gradValues() {
    return List.copyOf(grads.values());
  }

  /** Records the gradient of {@code param}; a parameter used twice would need summing, which no spec does. */
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

  // ---- gates, masks and the batch size (emitted once) ----

  /** g_b as a [1] tensor. */
  String gate(int b) {
    return cached(gateCache, b, i -> g.node(OnnxOp.SLICE).hint("gate" + i)
        .in(GraphNames.GATES, g.int64s(i), g.int64s(i + 1), g.int64s(0)).out());
  }

  /** {@code g_b != 0} as a bool [1] tensor: the condition of a {@link #conditional} block. */
  String gateOn(int b) {
    return cached(gateOnCache, b, i -> g.node(OnnxOp.NOT).hint("gate_on" + i)
        .in(g.node(OnnxOp.EQUAL).in(gate(i), g.scalar(0f)).out()).out());
  }

  String oneMinusGate(int b) {
    return cached(oneMinusGateCache, b, i -> g.node(OnnxOp.SUB).hint("one_minus_gate" + i)
        .in(g.scalar(1f), gate(i)).out());
  }

  /** Block {@code b}'s factor from the path-mask input {@code input}, as a [1] tensor. */
  String mask(String input, int b) {
    return cached(maskCache, input + "/" + b, k -> g.node(OnnxOp.SLICE).hint(input + b)
        .in(input, g.int64s(b), g.int64s(b + 1), g.int64s(0)).out());
  }

  /** N as a float scalar, from the input's shape. */
  String batchSize() {
    if (batchSizeValue == null || !g.visible(batchSizeValue)) {
      String shape = g.node(OnnxOp.SHAPE).in(GraphNames.INPUT).out();
      String n = g.node(OnnxOp.GATHER).in(shape, g.int64Scalar(0)).attr("axis", 0L).out();
      batchSizeValue = g.node(OnnxOp.CAST).hint("batch_size").in(n).attr("to", (long) ElemType.FLOAT.code()).out();
    }
    return batchSizeValue;
  }

  String invBatch() {
    if (invBatch == null || !g.visible(invBatch)) {
      invBatch = g.node(OnnxOp.RECIPROCAL).hint("inv_batch").in(batchSize()).out();
    }
    return invBatch;
  }

  // ---- arithmetic shared by the passes ----

  /** {@code v * factor}, or {@code v} when {@code factor} is null. */
  String scaled(String v, String factor) {
    return factor == null ? v : g.node(OnnxOp.MUL).in(v, factor).out();
  }

  /** 1 / sqrt(var + eps), elementwise. */
  String invStd(String var, double eps, String p) {
    return g.node(OnnxOp.RECIPROCAL).hint(p + ".inv_std").in(g.node(OnnxOp.SQRT)
        .in(g.node(OnnxOp.ADD).in(var, g.scalar((float) eps)).out()).out()).out();
  }

  /** A constant [C] of zeros. */
  String zeros(int c) {
    return g.floats(new long[] {c}, new float[c]);
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
}
