package org.resbench.backend.ort.onnx;

import org.resbench.backend.ort.onnx.Tape.ConvRec;
import org.resbench.harness.spec.Conv2d;

/**
 * The backward rule of a convolution. Input gradient: at stride 1 a convolution of dY with the weights' channels
 * swapped (per group) and both spatial axes reversed, blocked where the forward one was (adding a given addend, a
 * block's shortcut gradient, in the same pass); at other strides a ConvTranspose in NCHW (no blocked transposed
 * convolution exists), with output padding restoring the rows the forward output size floored away. Weight gradient:
 * {@link WeightGradients}, in NCHW; bias gradient: a per-channel sum of dY. One instance per graph; not thread-safe.
 */
final class ConvBackward {
  private final GraphContext ctx;
  private final GraphBuilder g;
  private final WeightGradients weights;

  ConvBackward(GraphContext ctx, WeightGradients weights) {
    this.ctx = ctx;
    this.g = ctx.g;
    this.weights = weights;
  }

  /**
   * The convolution's gradients; returns dX plus {@code addend} (when not null), or without {@code needDx} just
   * {@code addend} (null when none).
   */
  String backward(ConvRec r, String dy, boolean needDx, String addend) {
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
    if (ctx.wantParamGrads()) {
      // Weight gradients are formed in NCHW: on blocked activations the patches and MatMuls were slower
      // (measured), and converting x and dY costs one pass each.
      ctx.grad(w, weights.of(r, ctx.plain(r.x(), r.in()), ctx.plain(dy, r.out())));
      if (c.bias()) {
        ctx.grad(c.name() + ".bias", ctx.perChannel(OnnxOp.REDUCE_SUM, dy, true, false, "d_" + c.name() + ".bias"));
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
      if (ctx.blocked(r.x()) && (addend == null || ctx.blocked(addend))) {
        return ctx.nchwc.conv("d_" + c.name(), dy, false, r.out(), ctx.nchwc.filter(flipped, ci, co, k), null, addend,
            r.in(), k, 1, q);
      }
      return plus(ctx.markNchw(g.node(OnnxOp.CONV).hint("d_" + c.name()).in(ctx.plain(dy, r.out()), flipped)
          .ints("kernel_shape", k, k).ints("strides", 1, 1).ints("pads", q, q, q, q).attr("group", (long) groups)
          .out()), addend);
    }
    // The forward output size floors away (H + 2p - k) mod s rows; output_padding restores them. No blocked
    // transposed convolution exists: in a blocked graph this one runs in NCHW.
    long oph = h + 2L * p - k - (long) (ho - 1) * s;
    long opw = wd + 2L * p - k - (long) (wo - 1) * s;
    String dx = g.node(OnnxOp.CONV_TRANSPOSE).hint("d_" + c.name()).in(ctx.plain(dy, r.out()), w)
        .ints("kernel_shape", k, k).ints("strides", s, s).ints("pads", p, p, p, p).ints("output_padding", oph, opw)
        .attr("group", (long) groups).out();
    return plus(ctx.blocked(r.x()) ? ctx.nchwc.fromPlain(dx, r.in()) : ctx.markNchw(dx), addend);
  }

  /** {@code v + addend}, or {@code v} when {@code addend} is null. */
  private String plus(String v, String addend) {
    return addend == null ? v : g.node(OnnxOp.ADD).in(v, addend).out();
  }
}
