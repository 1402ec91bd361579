package org.resbench.backend.ort.onnx;

import org.resbench.backend.ort.onnx.GraphBuilder.ElemType;
import org.resbench.backend.ort.onnx.GraphPlan.ObjectiveKind;

/**
 * Emits the objective a gradient or training-step graph differentiates, as the {@link GraphNames#OBJECTIVE} output,
 * and the gradient with respect to the logits that starts the backward pass: mean softmax cross-entropy
 * ({@code (softmax - onehot) / N}), or {@code sum(cotangent * logits)} (whose gradient is the cotangent itself).
 * Stateless apart from its graph; not thread-safe.
 */
final class Objectives {
  private final GraphContext ctx;
  private final GraphBuilder g;

  Objectives(GraphContext ctx) {
    this.ctx = ctx;
    this.g = ctx.g;
  }

  /** Emits the objective output and returns d objective / d logits. */
  String emit(String logits) {
    if (ctx.plan.objective() == ObjectiveKind.CROSS_ENTROPY) {
      String lp = g.node(OnnxOp.LOG_SOFTMAX).in(logits).attr("axis", 1L).out();
      String oneHot = g.node(OnnxOp.ONE_HOT).hint("one_hot").in(GraphNames.LABELS, g.int64s(ctx.spec.outputs()),
          g.floats(new long[] {2}, 0f, 1f)).attr("axis", -1L).out();
      String picked = g.node(OnnxOp.MUL).in(lp, oneHot).out();
      String sum = g.node(OnnxOp.REDUCE_SUM).in(picked).attr("keepdims", 0L).out();
      String mean = g.node(OnnxOp.MUL).in(sum, ctx.invBatch()).out();
      String loss = g.node(OnnxOp.NEG).in(mean).out(GraphNames.OBJECTIVE);
      g.output(GraphNames.OBJECTIVE, loss, ElemType.FLOAT);
      String p = g.node(OnnxOp.EXP).hint("softmax").in(lp).out();
      String diff = g.node(OnnxOp.SUB).in(p, oneHot).out();
      return g.node(OnnxOp.MUL).hint("d_logits").in(diff, ctx.invBatch()).out();
    }
    String prod = g.node(OnnxOp.MUL).in(GraphNames.COTANGENT, logits).out();
    String obj = g.node(OnnxOp.REDUCE_SUM).in(prod).attr("keepdims", 0L).out(GraphNames.OBJECTIVE);
    g.output(GraphNames.OBJECTIVE, obj, ElemType.FLOAT);
    return GraphNames.COTANGENT;
  }
}
