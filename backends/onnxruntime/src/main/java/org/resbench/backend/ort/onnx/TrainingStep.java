package org.resbench.backend.ort.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.resbench.backend.ort.onnx.GraphBuilder.ElemType;
import org.resbench.backend.ort.onnx.Tape.BnStat;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.ParameterSpec;

/**
 * The updates at the end of a training-step graph, as its outputs: the canonical SGD update of every trainable
 * parameter ({@link SgdConfig}: weight decay, momentum, optional Nesterov; the learning rate is an input) with its new
 * momentum buffer, and the canonical running-statistics update of every BatchNorm layer
 * ({@code running = (1 - m) running + m batch} with the unbiased batch variance, PyTorch's convention, computed
 * explicitly rather than with ONNX's opposite one), leaving the statistics of a branch whose block's gate is 0
 * unchanged. One instance per graph; not thread-safe.
 */
final class TrainingStep {
  private final GraphContext ctx;
  private final GraphBuilder g;
  private final SgdConfig sgd;
  private final Map<Long, String> unbiasCache = new HashMap<>();

  TrainingStep(GraphContext ctx, SgdConfig sgd) {
    this.ctx = ctx;
    this.g = ctx.g;
    this.sgd = sgd;
  }

  /** The new parameters and momentum buffers, from the gradients recorded in the context. */
  void sgdUpdate() {
    String lr = GraphNames.LEARNING_RATE;
    for (ParameterSpec p : ctx.spec.trainableParameters()) {
      String w = p.name();
      String gr = ctx.requireGrad(p);
      String gd = sgd.weightDecay() == 0 ? gr
          : g.node(OnnxOp.ADD).in(gr, g.node(OnnxOp.MUL).in(w, g.scalar((float) sgd.weightDecay())).out()).out();
      String v = GraphNames.velocity(w);
      String vNew = g.node(OnnxOp.ADD).in(g.node(OnnxOp.MUL).in(v, g.scalar((float) sgd.momentum())).out(), gd)
          .out(GraphNames.newVelocity(w));
      String step = sgd.nesterov()
          ? g.node(OnnxOp.ADD).in(gd, g.node(OnnxOp.MUL).in(vNew, g.scalar((float) sgd.momentum())).out()).out()
          : vNew;
      String wNew = g.node(OnnxOp.SUB).in(w, g.node(OnnxOp.MUL).in(step, lr).out()).out(GraphNames.updated(w));
      g.output(GraphNames.updated(w), wNew, ElemType.FLOAT, SpecGraphs.dims(p.shape()));
      g.output(GraphNames.newVelocity(w), vNew, ElemType.FLOAT, SpecGraphs.dims(p.shape()));
    }
  }

  /** The new running statistics of every BatchNorm layer the forward pass recorded ({@code stats}). */
  void statisticsUpdate(List<BnStat> stats) {
    for (BnStat st : stats) {
      BatchNorm bn = st.bn();
      float m = (float) bn.momentum();
      String weight;
      String keep;
      if (st.branchOf() >= 0 && ctx.plan.gated()) {
        // A block whose gate is 0 did not run: its branch's statistics keep their values.
        String ran = g.node(OnnxOp.CAST).in(g.node(OnnxOp.NOT).in(g.node(OnnxOp.EQUAL)
            .in(ctx.gate(st.branchOf()), g.scalar(0f)).out()).out()).attr("to", (long) ElemType.FLOAT.code()).out();
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
    if (stats.size() != ctx.spec.buffers().size() / 2) {
      throw new IllegalStateException("a training step of '" + ctx.spec.name() + "' updates " + stats.size()
          + " BatchNorm layers of " + ctx.spec.buffers().size() / 2);
    }
  }

  /** M / (M - 1) with M = N * hw values per channel: turns the biased batch variance into the unbiased one. */
  private String unbias(long hw) {
    return unbiasCache.computeIfAbsent(hw, k -> {
      String count = k == 1 ? ctx.batchSize() : g.node(OnnxOp.MUL).in(ctx.batchSize(), g.scalar(k)).out();
      String less = g.node(OnnxOp.SUB).in(count, g.scalar(1f)).out();
      return g.node(OnnxOp.DIV).hint("unbias").in(count, less).out();
    });
  }
}
