package org.resbench.backend.ort.onnx;

import java.util.Arrays;
import java.util.List;
import org.resbench.backend.ort.onnx.Tape.BlockRec;
import org.resbench.backend.ort.onnx.Tape.BnRec;
import org.resbench.backend.ort.onnx.Tape.ConvRec;
import org.resbench.backend.ort.onnx.Tape.FlattenRec;
import org.resbench.backend.ort.onnx.Tape.GapRec;
import org.resbench.backend.ort.onnx.Tape.LinearRec;
import org.resbench.backend.ort.onnx.Tape.Rec;
import org.resbench.backend.ort.onnx.Tape.ReluRec;
import org.resbench.backend.ort.onnx.Tape.SubsampleRec;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Linear;

/**
 * Reverse-mode differentiation over a recorded {@link Tape}: walks it backwards and emits each layer's
 * vector-Jacobian product, recording parameter gradients in the {@link GraphContext}. Where each rule lives:
 * convolutions in {@link ConvBackward} (weight gradients in {@link WeightGradients}), BatchNorm in
 * {@link BatchNormBackward}, the option-A shortcut in {@link SubsamplePadBackward}; blocks (gates and path masks),
 * ReLU,
 * fully connected layers, global average pooling and Flatten here. One instance per graph; not thread-safe.
 */
final class BackwardPass {
  private final GraphContext ctx;
  private final GraphBuilder g;
  private final ConvBackward conv;
  private final BatchNormBackward batchNorm;
  private final SubsamplePadBackward subsample;

  BackwardPass(GraphContext ctx) {
    this.ctx = ctx;
    this.g = ctx.g;
    this.conv = new ConvBackward(ctx, new WeightGradients(ctx));
    this.batchNorm = new BatchNormBackward(ctx);
    this.subsample = new SubsamplePadBackward(ctx);
  }

  /**
   * Backpropagates {@code dLogits} through the whole network; returns d objective / d input, in NCHW, when the plan
   * asks for it (else null).
   */
  String run(ForwardPass.Result forward, String dLogits) {
    String d = backLayers(forward.head(), dLogits, true);
    for (int i = forward.blocks().size() - 1; i >= 0; i--) {
      d = backBlock(forward.blocks().get(i), d);
    }
    boolean needDx = ctx.plan.inputGradient();
    d = backLayers(forward.stem(), d, needDx);
    return needDx ? ctx.plain(d, ctx.spec.inputShape()) : null;
  }

  /** Backpropagates {@code dy} through a recorded sequence; {@code needDx} for its first layer. */
  private String backLayers(List<Rec> tape, String dy, boolean needDx) {
    return backLayers(tape, dy, needDx, null);
  }

  /**
   * As {@link #backLayers(List, String, boolean)}, returning the input gradient plus {@code addend} (when not null):
   * a first layer that is a blocked stride-1 convolution adds it in its own pass (NCHWc Conv's Sum input).
   */
  private String backLayers(List<Rec> tape, String dy, boolean needDx, String addend) {
    String d = dy;
    for (int i = tape.size() - 1; i >= 1; i--) {
      d = backLayer(tape.get(i), d, true);
    }
    if (!tape.isEmpty() && tape.get(0) instanceof ConvRec c) {
      return conv.backward(c, d, needDx, addend);
    }
    if (!tape.isEmpty()) {
      d = backLayer(tape.get(0), d, needDx);
    }
    return addend == null ? d : g.node(OnnxOp.ADD).in(d, addend).out();
  }

  private String backLayer(Rec r, String dy, boolean needDx) {
    if (r instanceof ConvRec c) {
      return conv.backward(c, dy, needDx, null);
    }
    if (r instanceof BnRec b) {
      return batchNorm.backward(b, dy);
    }
    if (r instanceof ReluRec relu) {
      String pos = g.node(OnnxOp.GREATER).in(relu.y(), g.scalar(0f)).out();
      String mask = g.node(OnnxOp.CAST).in(pos).attr("to", (long) GraphBuilder.ElemType.FLOAT.code()).out();
      return g.node(OnnxOp.MUL).hint("d_relu").in(dy, mask).out();
    }
    if (r instanceof LinearRec l) {
      return backLinear(l, dy, needDx);
    }
    if (r instanceof GapRec gap) {
      return backGlobalAvgPool(gap, dy);
    }
    if (r instanceof FlattenRec f) {
      String d4 = g.node(OnnxOp.RESHAPE).in(dy, g.int64s(SpecGraphs.batchShape(f.in()))).out();
      return f.blocked() ? ctx.nchwc.fromPlain(d4, f.in()) : ctx.markNchw(d4);
    }
    if (r instanceof SubsampleRec s) {
      return subsample.backward(s, dy);
    }
    if (r instanceof BlockRec b) {
      return backBlock(b, dy);
    }
    throw new IllegalStateException("unhandled record " + r);
  }

  /** {@code y = x W^T + b}: dW = dY^T x, db = sum over the batch of dY, dX = dY W. */
  private String backLinear(LinearRec l, String dy, boolean needDx) {
    Linear lin = l.linear();
    if (ctx.wantParamGrads()) {
      ctx.grad(lin.name() + ".weight", g.node(OnnxOp.GEMM).hint("d_" + lin.name() + ".weight").in(dy, l.x())
          .attr("transA", 1L).out());
      if (lin.bias()) {
        ctx.grad(lin.name() + ".bias", g.node(OnnxOp.REDUCE_SUM).in(dy, g.int64s(0)).attr("keepdims", 0L).out());
      }
    }
    return needDx ? g.node(OnnxOp.MATMUL).hint("d_" + lin.name()).in(dy, lin.name() + ".weight").out() : null;
  }

  /** The gradient of a mean over H x W: dY / (H W), spread over every position. */
  private String backGlobalAvgPool(GapRec gap, String dy) {
    int c = gap.in().dim(0);
    int h = gap.in().dim(1);
    int w = gap.in().dim(2);
    float[] spread = new float[h * w];
    Arrays.fill(spread, 1f / (h * w));
    if (gap.blocked()) {
      int b = ctx.nchwc.block();
      String d5 = g.node(OnnxOp.RESHAPE).in(dy, g.int64s(-1, c / b, 1, 1, b)).out();
      return g.node(OnnxOp.MUL).hint("d_gap").in(d5, g.floats(new long[] {1, 1, h, w, 1}, spread)).out();
    }
    String d4 = g.node(OnnxOp.RESHAPE).in(dy, g.int64s(-1, c, 1, 1)).out();
    return g.node(OnnxOp.MUL).hint("d_gap").in(d4, g.floats(new long[] {1, 1, h, w}, spread)).out();
  }

  /**
   * A block: through post, then {@code branch_b * g * dz} into the branch and {@code shortcut_b * c * dz} into the
   * shortcut (c = 1 residual, 1 - g plain; {@code branch_b}, {@code shortcut_b} the path masks), summed.
   */
  private String backBlock(BlockRec r, String dy) {
    Block b = r.block();
    int i = b.index();
    String dz = backLayers(r.post(), dy, true);
    if (r.condition() != null) {
      return backConditional(r, dz);
    }
    String branchFactor = product(ctx.plan.gated() ? ctx.gate(i) : null,
        ctx.plan.masked() ? ctx.mask(GraphNames.MASK_BRANCH, i) : null);
    if (!r.shortcutRun() || (!b.residual() && !ctx.plan.gated())) {
      // no shortcut, or a plain block's shortcut with weight 1 - g = 0
      return backLayers(r.branch(), ctx.scaled(dz, branchFactor), true);
    }
    String shortcutFactor = product(!b.residual() ? ctx.oneMinusGate(i) : null,
        ctx.plan.masked() ? ctx.mask(GraphNames.MASK_SHORTCUT, i) : null);
    String dxS = backLayers(r.shortcut(), ctx.scaled(dz, shortcutFactor), true);
    return backLayers(r.branch(), ctx.scaled(dz, branchFactor), true, dxS); // dX of the branch + dxS
  }

  /**
   * The rest of a block that ran conditionally ({@link Tape.BlockRec#condition}), from {@code dz} (through post): the
   * shortcut's gradient in the enclosing graph, then an ONNX {@code If} on the same condition as the forward one whose
   * then-branch adds the branch's input gradient and forms the branch's parameter gradients (exported on use, 0 when
   * the block was dropped: the SGD update then sees a zero gradient), and whose else-branch passes the shortcut's
   * gradient on.
   */
  private String backConditional(BlockRec r, String dz) {
    Block b = r.block();
    int i = b.index();
    String shortcutFactor = product(!b.residual() ? ctx.oneMinusGate(i) : null,
        ctx.plan.masked() ? ctx.mask(GraphNames.MASK_SHORTCUT, i) : null);
    String dxS = backLayers(r.shortcut(), ctx.scaled(dz, shortcutFactor), true);
    String branchFactor = product(ctx.gate(i), ctx.plan.masked() ? ctx.mask(GraphNames.MASK_BRANCH, i) : null);
    GraphBuilder.Conditional k = g.beginIf(r.condition(), b.name() + ".backward_if");
    int known = ctx.gradValues().size();
    String dx = backLayers(r.branch(), ctx.scaled(dz, branchFactor), true, dxS);
    List<String> grads = ctx.gradValues();
    k.exportable(grads.subList(known, grads.size()));
    k.otherwise();
    return ctx.sameLayout(dx, k.end(List.of(dx), List.of(dxS))[0]);
  }

  private String product(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : g.node(OnnxOp.MUL).in(a, b).out();
  }
}
