package org.resbench.backend.ort.onnx;

import org.resbench.backend.ort.onnx.Tape.ConvRec;
import org.resbench.harness.spec.Conv2d;

/**
 * The weight gradient of a convolution from NCHW x and dY, in the formulation measured fastest on ONNX Runtime's CPU
 * provider (ONNX has no weight-gradient operator): patches made by constant one-hot convolutions, then a batched
 * MatMul and a ReduceSum over the batch. Two patch strategies: {@link #im2colProducts im2col} (one k x k one-hot set;
 * any stride and grouping; a 1x1 convolution needs none), and {@link #separableProducts separable} (stride 1,
 * ungrouped: a 1 x k set of x and a k x 1 set of dY, 6x instead of 9x the activation memory for 3x3), which folds the
 * batch into the MatMul's contraction where a per-image product would outgrow its patches. In training steps on the
 * CPU target, layers with large patches ({@link SpecGraphs#MIN_SLICED_PATCH_BYTES} per image) are summed over
 * {@link GraphContext#weightGradientChunks} batch slices ({@link GraphTarget}). One instance per graph (it emits the
 * slice sizes once); not thread-safe.
 */
final class WeightGradients {
  private final GraphContext ctx;
  private final GraphBuilder g;
  /** The sizes of the batch slices (int64 [k]); null until first needed. */
  private String chunkSizes;

  WeightGradients(GraphContext ctx) {
    this.ctx = ctx;
    this.g = ctx.g;
  }

  /**
   * dW of the convolution of {@code r} from NCHW {@code x} and {@code dy}, summed over
   * {@link GraphContext#weightGradientChunks} slices of the batch where its patches are large.
   */
  String of(ConvRec r, String x, String dy) {
    Conv2d c = r.conv();
    boolean separable = c.stride() == 1 && c.groups() == 1 && c.kernel() > 1 && c.padding() <= c.kernel() - 1;
    long hw = (long) r.out().dim(1) * r.out().dim(2);
    long patchBytes = 4 * hw * (separable ? (long) c.kernel() * Math.max(c.inChannels(), c.outChannels())
        : (long) c.inChannels() * c.kernel() * c.kernel());
    // Slicing pays only where a batch's patches outgrow the cache; small layers keep one slice (fewer nodes).
    int chunks = patchBytes >= SpecGraphs.MIN_SLICED_PATCH_BYTES ? ctx.weightGradientChunks : 1;
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
   * {@code v} split along the batch into {@link GraphContext#weightGradientChunks} slices, slice q holding rows
   * [floor(q N / k), floor((q + 1) N / k)); slices are empty when N < k.
   */
  private String[] batchChunks(String v) {
    int k = ctx.weightGradientChunks;
    if (chunkSizes == null || !g.visible(chunkSizes)) {
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
  private String im2colProducts(ConvRec r, String x, String dy) {
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
    String prod = timesTransposed(pr, dr, 4); // [N, g, Cg*k*k, Og]
    return g.node(OnnxOp.REDUCE_SUM).in(prod, g.int64s(0)).attr("keepdims", 0L).out();
  }

  /** dW {@code [Co, Cg, k, k]} from summed {@link #im2colProducts}. */
  private String im2colWeights(ConvRec r, String products) {
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
  private String separableProducts(ConvRec r, String x, String dy) {
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
      return timesTransposed(qf, pf, 2);
    }
    String prod = timesTransposed(qr, pr, 3); // [N, Co*k, Ci*k]
    return g.node(OnnxOp.REDUCE_SUM).in(prod, g.int64s(0)).attr("keepdims", 0L).out();
  }

  /**
   * {@code a} times {@code b} (of rank {@code rank}) transposed in its last two axes: in an NCHWc graph (which only
   * ONNX Runtime runs) one FusedMatMul, else a Transpose and a MatMul (which ONNX Runtime's optimiser fuses at its
   * higher levels).
   */
  private String timesTransposed(String a, String b, int rank) {
    if (ctx.nchwc != null) {
      return g.node(OnnxOp.FUSED_MATMUL).in(a, b).attr("transB", 1L).out();
    }
    long[] perm = new long[rank];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[perm.length - 1] = perm.length - 2;
    perm[perm.length - 2] = perm.length - 1;
    return g.node(OnnxOp.MATMUL).in(a, g.node(OnnxOp.TRANSPOSE).in(b).ints("perm", perm).out()).out();
  }

  /** dW {@code [Co, Ci, k, k]} from summed {@link #separableProducts}. */
  private String separableWeights(ConvRec r, String products) {
    Conv2d c = r.conv();
    int k = c.kernel();
    String w4 = g.node(OnnxOp.RESHAPE).in(products, g.int64s(c.outChannels(), k, c.inChannels(), k)).out();
    return g.node(OnnxOp.TRANSPOSE).hint("d_" + c.name() + ".weight").in(w4).ints("perm", 0, 2, 1, 3).out();
  }

  /**
   * One-hot kernels for {@link #separableProducts}: horizontal [C*k, 1, 1, k] with channel c*k + j picking tap j, or
   * vertical [C*k, 1, k, 1] with channel c*k + i picking row k - 1 - i.
   */
  private String oneHotTaps(int channels, int k, boolean vertical) {
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
  private String oneHotKernels(int channels, int k) {
    float[] v = new float[channels * k * k * k * k];
    for (int c = 0; c < channels; c++) {
      for (int t = 0; t < k * k; t++) {
        int out = c * k * k + t;
        v[out * k * k + t] = 1f;
      }
    }
    return g.floats(new long[] {(long) channels * k * k, 1, k, k}, v);
  }
}
