package org.resbench.backend.ort.onnx;

import java.util.Arrays;
import org.resbench.backend.ort.onnx.Tape.BnRec;
import org.resbench.harness.spec.BatchNorm;

/**
 * The backward rule of BatchNorm, in closed form. With running statistics (constants):
 * {@code dx = dy * gamma / sqrt(var + eps)}. With batch statistics the full backward, including the statistics'
 * dependence on every example, as one per-channel affine of the centred input added to a scaled dY (in NCHW a
 * BatchNormalization with mean 0 and variance 1 - eps, a Mul and an Add; blocked, two depthwise 1x1 convolutions).
 * Gradients of gamma and beta are per-channel sums. One instance per graph; not thread-safe.
 */
final class BatchNormBackward {
  private final GraphContext ctx;
  private final GraphBuilder g;

  BatchNormBackward(GraphContext ctx) {
    this.ctx = ctx;
    this.g = ctx.g;
  }

  String backward(BnRec r, String dy) {
    BatchNorm bn = r.bn();
    String p = bn.name();
    boolean spatial = r.in().rank() == 3;
    int c = bn.channels();
    String gamma = p + ".gamma";
    if (!ctx.train) {
      // Statistics are constants: dx = dy * gamma / sqrt(running_var + eps).
      String inv = ctx.invStd(r.var(), bn.eps(), p);
      if (ctx.wantParamGrads()) {
        String centred = g.node(OnnxOp.SUB).in(r.x(), ctx.channelwise(r.mean(), c, spatial, r.x())).out();
        String xhat = g.node(OnnxOp.MUL).hint(p + ".xhat").in(centred, ctx.channelwise(inv, c, spatial, r.x())).out();
        ctx.grad(gamma, ctx.perChannel(OnnxOp.REDUCE_SUM, g.node(OnnxOp.MUL).in(dy, xhat).out(), spatial, false,
            "d_" + gamma));
        ctx.grad(p + ".beta", ctx.perChannel(OnnxOp.REDUCE_SUM, dy, spatial, false, "d_" + p + ".beta"));
      }
      String a = g.node(OnnxOp.MUL).in(gamma, inv).out();
      return g.node(OnnxOp.MUL).hint("d_" + p).in(dy, ctx.channelwise(a, c, spatial, dy)).out();
    }
    // With xhat = centred * inv and a = gamma * inv:
    //   dbeta = sum(dy), dgamma = inv * sum(dy * centred),
    //   dx = a * (dy - dbeta/M - xhat * dgamma/M) = a * dy + (centred * k1 + k0),
    //   k1 = -a * inv * dgamma / M, k0 = -a * dbeta / M, M = N * H * W.
    // NCHW: the per-channel affine term is one pass (BatchNormalization with mean 0 and variance 1 - eps), plus a
    // Mul and an Add. Blocked: two depthwise 1x1 convolutions, the second adding the first's output.
    String dbeta = ctx.perChannel(OnnxOp.REDUCE_SUM, dy, spatial, false, "d_" + p + ".beta");
    String sdc = ctx.perChannel(OnnxOp.REDUCE_SUM, g.node(OnnxOp.MUL).in(dy, r.centred()).out(), spatial, false,
        "sdc");
    String inv = g.node(OnnxOp.RESHAPE).in(r.inv(), g.int64s(c)).out();
    String dgamma = g.node(OnnxOp.MUL).hint("d_" + gamma).in(sdc, inv).out();
    if (ctx.wantParamGrads()) {
      ctx.grad(gamma, dgamma);
      ctx.grad(p + ".beta", dbeta);
    }
    String a = g.node(OnnxOp.MUL).in(gamma, inv).out(); // [C]
    long hw = spatial ? (long) r.in().dim(1) * r.in().dim(2) : 1;
    String invM = hw == 1 ? ctx.invBatch() : g.node(OnnxOp.MUL).in(ctx.invBatch(), g.scalar(1f / hw)).out();
    String aOverM = g.node(OnnxOp.NEG).in(g.node(OnnxOp.MUL).in(a, invM).out()).out();
    String k1 = g.node(OnnxOp.MUL).in(g.node(OnnxOp.MUL).in(aOverM, inv).out(), dgamma).out();
    String k0 = g.node(OnnxOp.MUL).in(aOverM, dbeta).out();
    if (spatial && ctx.blocked(dy)) {
      String scaledDy = ctx.nchwc.affine("scaled_d_" + p, dy, r.in(), a, null, null);
      return ctx.nchwc.affine("d_" + p, r.centred(), r.in(), k1, k0, scaledDy);
    }
    String affine = g.node(OnnxOp.BATCH_NORMALIZATION).in(r.centred(), k1, k0, ctx.zeros(c), oneMinusEps(c, bn.eps()))
        .attr("epsilon", (float) bn.eps()).out();
    String scaledDy = g.node(OnnxOp.MUL).in(dy, ctx.channelwise(a, c, spatial, dy)).out();
    return g.node(OnnxOp.ADD).hint("d_" + p).in(scaledDy, affine).out();
  }

  /** A variance that makes BatchNormalization's denominator sqrt(var + eps) 1 (to float32 rounding). */
  private String oneMinusEps(int c, double eps) {
    float[] v = new float[c];
    Arrays.fill(v, (float) (1 - eps));
    return g.floats(new long[] {c}, v);
  }
}
