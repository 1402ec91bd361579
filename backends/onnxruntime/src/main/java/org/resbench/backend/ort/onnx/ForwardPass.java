package org.resbench.backend.ort.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.resbench.backend.ort.onnx.GraphPlan.Purpose;
import org.resbench.backend.ort.onnx.Tape.BlockRec;
import org.resbench.backend.ort.onnx.Tape.BnRec;
import org.resbench.backend.ort.onnx.Tape.BnStat;
import org.resbench.backend.ort.onnx.Tape.ConvRec;
import org.resbench.backend.ort.onnx.Tape.FlattenRec;
import org.resbench.backend.ort.onnx.Tape.GapRec;
import org.resbench.backend.ort.onnx.Tape.LinearRec;
import org.resbench.backend.ort.onnx.Tape.Rec;
import org.resbench.backend.ort.onnx.Tape.ReluRec;
import org.resbench.backend.ort.onnx.Tape.SubsampleRec;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Conv2d;
import org.resbench.harness.spec.Flatten;
import org.resbench.harness.spec.GlobalAvgPool;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.Linear;
import org.resbench.harness.spec.Relu;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SubsamplePad;

/**
 * Emits the forward pass of a spec (stem, blocks with their gates, head) and records the {@link Tape} the backward
 * pass walks. BatchNorm uses the running statistics, or batch statistics computed with plain operators (ONNX
 * Runtime's BatchNormalization in training mode writes into its running-statistic inputs). In a blocked graph
 * ({@link NchwcLayout}) a BatchNorm's affine is held back ({@link PendingAffine}) so that a residual merge and a ReLU
 * that follow share its pass. Records the probe points a graph reporting activations outputs, and the batch
 * statistics a training step updates. One instance per graph, used once; not thread-safe.
 */
final class ForwardPass {
  /** What a forward pass produced: the tapes, the logits, the probe values and the batch statistics. */
  record Result(List<Rec> stem, List<BlockRec> blocks, List<Rec> head, String logits, Map<String, String> probes,
      List<BnStat> stats) {}

  /**
   * A blocked BatchNorm output not emitted yet: {@code centred * scale + shift (+ addend)} per channel. Held back so
   * that a residual merge and a ReLU that follow fold into the same pass (a depthwise 1x1 convolution with a Sum
   * input and a fused activation), as ONNX Runtime does for inference graphs.
   */
  private record PendingAffine(String hint, String centred, Shape shape, String scale, String shift, String addend) {}

  /** A block's record and its output value. */
  private record Applied(BlockRec rec, String output) {}

  private final GraphContext ctx;
  private final GraphBuilder g;
  private final GraphPlan plan;
  private final Map<String, String> probes = new LinkedHashMap<>();
  private final List<BnStat> stats = new ArrayList<>();
  /**
   * Blocked BatchNorm outputs not emitted yet, by their reserved value names; {@link #ready} emits one (under that
   * name) for any consumer other than a fusing ReLU or residual merge. A consumer that skipped {@link #ready} fails
   * in {@link GraphBuilder} (the name is undefined), never silently.
   */
  private final Map<String, PendingAffine> pending = new HashMap<>();

  ForwardPass(GraphContext ctx) {
    this.ctx = ctx;
    this.g = ctx.g;
    this.plan = ctx.plan;
  }

  /** Emits the whole forward pass from {@link GraphNames#INPUT} to the logits (not yet a graph output). */
  Result run() {
    List<Rec> stemTape = new ArrayList<>();
    List<BlockRec> blockTape = new ArrayList<>();
    List<Rec> headTape = new ArrayList<>();
    Shape s = ctx.spec.inputShape();
    String x = GraphNames.INPUT;
    x = layers(ctx.spec.stem(), x, s, stemTape, -1, "stem/");
    s = SpecGraphs.shapeAfter(ctx.spec.stem(), s);
    for (Block b : ctx.spec.blocks()) {
      Applied a = block(b, x, s);
      blockTape.add(a.rec());
      x = a.output();
      s = b.outputShape(s);
    }
    x = layers(ctx.spec.head(), x, s, headTape, -1, "head/");
    return new Result(stemTape, blockTape, headTape, ready(x), probes, stats);
  }

  /** Applies {@code ls}; the output of layer i is probe point {@code probePrefix + i}. */
  private String layers(List<Layer> ls, String x, Shape in, List<Rec> tape, int branchOf, String probePrefix) {
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
  private void probe(String name, String value) {
    if (plan.purpose() == Purpose.ACTIVATIONS) {
      probes.put(name, value);
    }
  }

  private String layer(Layer l, String x0, Shape in, List<Rec> tape, int branchOf) {
    if (l instanceof Relu && pending.containsKey(x0)) {
      String y = emitAffine(pending.get(x0), true, null); // BatchNorm (+ merge) and ReLU in one pass
      tape.add(new ReluRec(y));
      return y;
    }
    String x = ready(x0);
    if (l instanceof Conv2d c) {
      return conv(c, x, in, tape);
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
      tape.add(new GapRec(in, ctx.blocked(x)));
      if (ctx.blocked(x)) {
        // [N, C/B, H, W, B] -> [N, C/B, B] -> [N, C]: channel order is block-major, as in NCHW.
        return g.node(OnnxOp.FLATTEN).in(ctx.reduce(OnnxOp.REDUCE_MEAN, x, new long[] {2, 3}, false, "gap"))
            .attr("axis", 1L).out();
      }
      String p = g.node(OnnxOp.GLOBAL_AVERAGE_POOL).in(x).out();
      return g.node(OnnxOp.FLATTEN).in(p).attr("axis", 1L).out();
    }
    if (l instanceof Flatten) {
      if (in.rank() == 1) {
        return x;
      }
      tape.add(new FlattenRec(in, ctx.blocked(x)));
      return g.node(OnnxOp.FLATTEN).in(ctx.plain(x, in)).attr("axis", 1L).out();
    }
    if (l instanceof SubsamplePad sp) {
      return subsamplePad(sp, x, in, tape);
    }
    throw new IllegalStateException("unhandled layer " + l);
  }

  private String conv(Conv2d c, String x, Shape in, List<Rec> tape) {
    Shape out = c.outputShape(in);
    NchwcLayout nchwc = ctx.nchwc;
    if (nchwc != null) {
      // The input is blocked, or it is the graph's plain input: a convolution takes that directly when it has
      // fewer channels than a block; else it is blocked first.
      boolean plainIn = !ctx.blocked(x);
      String xin = plainIn && c.inChannels() >= nchwc.block() ? nchwc.fromPlain(x, in) : x;
      tape.add(new ConvRec(c, xin, in, out));
      return nchwc.conv(c.name(), xin, !ctx.blocked(xin), in, nchwc.filter(c.name() + ".weight", c.outChannels(),
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

  /** The option-A shortcut: a strided subsample, then zero channels appended. */
  private String subsamplePad(SubsamplePad sp, String x, Shape in, List<Rec> tape) {
    Shape out = sp.outputShape(in);
    tape.add(new SubsampleRec(sp, in, out));
    String v = x;
    if (sp.stride() > 1) {
      v = g.node(OnnxOp.SLICE).hint("subsample").in(v, g.int64s(0, 0), g.int64s(Long.MAX_VALUE, Long.MAX_VALUE),
          g.int64s(2, 3), g.int64s(sp.stride(), sp.stride())).out();
    }
    if (sp.outChannels() > sp.inChannels()) {
      int extra = sp.outChannels() - sp.inChannels();
      String pads = ctx.blocked(v) ? g.int64s(0, 0, 0, 0, 0, 0, extra / ctx.nchwc.block(), 0, 0, 0)
          : g.int64s(0, 0, 0, 0, 0, extra, 0, 0);
      v = g.node(OnnxOp.PAD).hint("padchannels").in(v, pads).out();
    }
    return v;
  }

  private String batchNorm(BatchNorm bn, String x, Shape in, List<Rec> tape, int branchOf) {
    String p = bn.name();
    String gamma = p + ".gamma";
    String beta = p + ".beta";
    if (!ctx.train) {
      String rm = p + ".running_mean";
      String rv = p + ".running_var";
      tape.add(new BnRec(bn, x, in, rm, rv, null, null));
      if (ctx.blocked(x)) {
        String scale = g.node(OnnxOp.MUL).in(gamma, ctx.invStd(rv, bn.eps(), p)).out();
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
    String mean = ctx.perChannel(OnnxOp.REDUCE_MEAN, x, spatial, true, p + ".batch_mean");
    String centred = g.node(OnnxOp.SUB).hint(p + ".centred").in(x, mean).out();
    String var = ctx.perChannel(OnnxOp.REDUCE_MEAN, g.node(OnnxOp.MUL).in(centred, centred).out(), spatial, true,
        p + ".batch_var");
    String flatMean = g.node(OnnxOp.RESHAPE).in(mean, g.int64s(c)).out();
    String flatVar = g.node(OnnxOp.RESHAPE).in(var, g.int64s(c)).out();
    // Normalising the centred tensor (mean 0) rather than x keeps x * s + (beta - mean * s) from cancelling digits
    // when |mean| is large against the standard deviation.
    String y;
    if (ctx.blocked(x)) {
      y = defer(new PendingAffine(p, centred, in, g.node(OnnxOp.MUL).in(gamma, ctx.invStd(flatVar, bn.eps(), p))
          .out(), beta, null));
    } else {
      y = g.node(OnnxOp.BATCH_NORMALIZATION).hint(p).in(centred, gamma, beta, ctx.zeros(c), flatVar)
          .attr("epsilon", (float) bn.eps()).out();
    }
    String inv = plan.differentiates() ? ctx.invStd(var, bn.eps(), p) : null;
    tape.add(new BnRec(bn, x, in, flatMean, flatVar, centred, inv));
    if (plan.purpose() == Purpose.TRAIN_STEP) {
      stats.add(new BnStat(bn, branchOf, in, flatMean, flatVar));
    }
    return y;
  }

  /** Reserves a value name for {@code a}, emitted by {@link #ready} or folded into a following ReLU or merge. */
  private String defer(PendingAffine a) {
    String name = g.fresh(a.hint());
    pending.put(name, a);
    return name;
  }

  /** {@code v}, emitting it first (under its own name) if it is a {@link PendingAffine}. */
  private String ready(String v) {
    PendingAffine a = pending.remove(v);
    return a == null ? v : emitAffine(a, false, v);
  }

  private String emitAffine(PendingAffine a, boolean relu, String name) {
    return ctx.nchwc.affine(a.hint(), a.centred(), a.shape(), a.scale(), a.shift(), a.addend(), relu, name);
  }

  /** A block {@code y = post(S(x) + g F(x))} (residual) or {@code post((1 - g) S(x) + g F(x))} (plain). */
  private Applied block(Block b, String x, Shape in) {
    if (ctx.conditional(b)) {
      return conditionalBlock(b, x, in);
    }
    List<Rec> branchTape = new ArrayList<>();
    List<Rec> shortcutTape = new ArrayList<>();
    List<Rec> postTape = new ArrayList<>();
    String f = layers(b.branch(), x, in, branchTape, b.index(), b.name() + "/branch/");
    Shape merged = SpecGraphs.shapeAfter(b.branch(), in);
    // A plain block with gate 1 weights its shortcut by 1 - g = 0: it is skipped, unless a training step must
    // update the statistics of a BatchNorm layer in it.
    boolean runShortcut = b.residual() || plan.gated() || plan.purpose() == Purpose.ACTIVATIONS
        || (plan.purpose() == Purpose.TRAIN_STEP && b.shortcut().stream().anyMatch(l -> l instanceof BatchNorm));
    String z;
    if (!runShortcut) {
      z = f; // plain block with gate 1: the shortcut has weight 1 - g = 0
    } else {
      String s = ready(layers(b.shortcut(), ready(x), in, shortcutTape, -1, b.name() + "/shortcut/"));
      z = merge(b, f, s);
    }
    probe(b.name() + "/merge", z);
    String out = layers(b.post(), z, merged, postTape, -1, b.name() + "/post/");
    probe(b.name(), out);
    return new Applied(new BlockRec(b, branchTape, shortcutTape, postTape, runShortcut, null), out);
  }

  /** {@code S(x) + g F(x)} (residual) or {@code (1 - g) S(x) + g F(x)} (plain) of a block whose shortcut ran. */
  private String merge(Block b, String f0, String s) {
    String f = f0;
    PendingAffine a = b.residual() ? pending.get(f) : null;
    if (a != null && a.addend() == null) {
      // The branch ends in a blocked BatchNorm: the merge becomes its affine's addend (with the gate folded into
      // its scale and shift), emitted together with a following ReLU.
      String gs = plan.gated() ? ctx.gate(b.index()) : null;
      return defer(new PendingAffine(b.name() + ".merge", a.centred(), a.shape(), ctx.scaled(a.scale(), gs),
          ctx.scaled(a.shift(), gs), s));
    }
    if (b.residual()) {
      f = ready(f);
      return g.node(OnnxOp.ADD).hint(b.name() + ".merge").in(s, plan.gated() ? ctx.scaled(f, ctx.gate(b.index())) : f)
          .out();
    }
    if (!plan.gated()) {
      return f; // the shortcut ran only to update its statistics
    }
    return g.node(OnnxOp.ADD).hint(b.name() + ".merge").in(ctx.scaled(s, ctx.oneMinusGate(b.index())),
        ctx.scaled(ready(f), ctx.gate(b.index()))).out();
  }

  /**
   * A {@link GraphContext#conditional} block: the shortcut runs in the enclosing graph; the branch, the merge and the
   * post run inside an ONNX {@code If} on {@code gate != 0}, whose else-branch is {@code post(S(x))} (the block with
   * gate 0, residual or plain). The branch's recorded values (for the backward pass) and batch statistics (for the
   * statistics update) stay in the then-branch and are exported on use, as 0 when the block was dropped (the
   * statistics update then keeps the running statistics, see {@link TrainingStep}).
   */
  private Applied conditionalBlock(Block b, String x0, Shape in) {
    String x = ready(x0);
    List<Rec> shortcutTape = new ArrayList<>();
    String s = ready(layers(b.shortcut(), x, in, shortcutTape, -1, b.name() + "/shortcut/"));
    Shape merged = SpecGraphs.shapeAfter(b.branch(), in);
    ctx.gate(b.index()); // made outside the conditional, where both passes see it
    String cond = ctx.gateOn(b.index());
    GraphBuilder.Conditional k = g.beginIf(cond, b.name() + ".if");
    List<Rec> branchTape = new ArrayList<>();
    List<Rec> postTape = new ArrayList<>();
    int firstStat = stats.size();
    String f = layers(b.branch(), x, in, branchTape, b.index(), b.name() + "/branch/");
    String out = ready(layers(b.post(), merge(b, f, s), merged, postTape, -1, b.name() + "/post/"));
    List<String> exportable = new ArrayList<>(Tape.values(branchTape));
    for (BnStat st : stats.subList(firstStat, stats.size())) {
      exportable.add(st.batchMean());
      exportable.add(st.batchVar());
    }
    k.exportable(exportable);
    k.otherwise();
    String skipped = ready(layers(b.post(), s, merged, new ArrayList<>(), -1, b.name() + "/post/"));
    String y = ctx.sameLayout(out, k.end(List.of(out), List.of(skipped))[0]);
    // The post is at most one ReLU, whose output is the block's: the backward pass reads it outside.
    List<Rec> post = postTape.isEmpty() ? List.of() : List.of(new ReluRec(y));
    return new Applied(new BlockRec(b, branchTape, shortcutTape, post, true, cond), y);
  }
}
