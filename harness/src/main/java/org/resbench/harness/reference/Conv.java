package org.resbench.harness.reference;

import org.resbench.harness.spec.Conv2d;

/**
 * Grouped, strided, zero-padded 2-D cross-correlation over NCHW tensors and its two vector-Jacobian
 * products, in float64, written as im2col: for one example and one group, the patch matrix
 * {@code P[pixel][r]} holds the input values that kernel tap {@code r = (ci * k + ky) * k + kx} sees at each
 * output pixel (0 where the tap falls in the padding). Then
 * <pre>
 *   y[co, pixel]  = b[co] + sum_r w[co, r] P[pixel, r]
 *   dP[pixel, r]  = sum_co dy[co, pixel] w[co, r]        (then scattered back onto dx: col2im)
 *   dw[co, r]    += sum_{n, pixel} dy[n, co, pixel] P_n[pixel, r]
 * </pre>
 * Every inner loop runs over {@code r}, contiguous in both operands, whatever the image size. Work is split
 * over (example, group) or output channels; each task owns what it writes and sums in a fixed order, so the
 * results do not depend on the thread count. Stateless.
 */
final class Conv {
  private Conv() {}

  static Tensor forward(Conv2d c, double[] w, double[] bias, Tensor x, Parallel par) {
    Geometry g = new Geometry(c, x);
    Tensor y = Tensor.zeros(g.n, c.outChannels(), g.ho, g.wo);
    par.forEach(g.n * g.groups, g.itemWork(), item -> {
      int n = item / g.groups;
      int grp = item % g.groups;
      double[] patches = g.im2col(x.data, n, grp);
      for (int j = 0; j < g.outPerGroup; j++) {
        int co = grp * g.outPerGroup + j;
        int yOff = (n * c.outChannels() + co) * g.pixels;
        double b = bias == null ? 0 : bias[co];
        for (int pix = 0; pix < g.pixels; pix++) {
          y.data[yOff + pix] = b + dot(w, co * g.taps, patches, pix * g.taps, g.taps);
        }
      }
    });
    return y;
  }

  static Tensor backwardInput(Conv2d c, double[] w, Tensor dy, int[] xShape, Parallel par) {
    Tensor dx = Tensor.zeros(xShape);
    Geometry g = new Geometry(c, dx);
    par.forEach(g.n * g.groups, g.itemWork(), item -> {
      int n = item / g.groups;
      int grp = item % g.groups;
      double[] dPatches = new double[g.pixels * g.taps];
      for (int pix = 0; pix < g.pixels; pix++) {
        for (int j = 0; j < g.outPerGroup; j++) {
          int co = grp * g.outPerGroup + j;
          double d = dy.data[(n * c.outChannels() + co) * g.pixels + pix];
          if (d != 0) {
            axpy(d, w, co * g.taps, dPatches, pix * g.taps, g.taps);
          }
        }
      }
      g.col2imAdd(dPatches, dx.data, n, grp);
    });
    return dx;
  }

  /** Adds the weight gradient to {@code dWeight}, and the bias gradient to {@code dBias} when it is not null. */
  static void backwardParameters(Conv2d c, Tensor x, Tensor dy, double[] dWeight, double[] dBias, Parallel par) {
    Geometry g = new Geometry(c, x);
    // Tasks own disjoint slices of output channels; each rebuilds the patches it needs.
    int chunks = Math.min(g.outPerGroup, 4);
    par.forEach(g.groups * chunks, g.n * g.itemWork() / chunks, item -> {
      int grp = item / chunks;
      int chunk = item % chunks;
      int from = grp * g.outPerGroup + chunk * g.outPerGroup / chunks;
      int to = grp * g.outPerGroup + (chunk + 1) * g.outPerGroup / chunks;
      for (int n = 0; n < g.n; n++) {
        double[] patches = g.im2col(x.data, n, grp);
        for (int co = from; co < to; co++) {
          int yOff = (n * c.outChannels() + co) * g.pixels;
          double biasSum = 0;
          for (int pix = 0; pix < g.pixels; pix++) {
            double d = dy.data[yOff + pix];
            biasSum += d;
            if (d != 0) {
              axpy(d, patches, pix * g.taps, dWeight, co * g.taps, g.taps);
            }
          }
          if (dBias != null) {
            dBias[co] += biasSum;
          }
        }
      }
    });
  }

  /** {@code sum_i a[ao + i] b[bo + i]} with four partial sums (a fixed order, so still deterministic). */
  static double dot(double[] a, int ao, double[] b, int bo, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < len; i += 4) {
      s0 += a[ao + i] * b[bo + i];
      s1 += a[ao + i + 1] * b[bo + i + 1];
      s2 += a[ao + i + 2] * b[bo + i + 2];
      s3 += a[ao + i + 3] * b[bo + i + 3];
    }
    for (; i < len; i++) {
      s0 += a[ao + i] * b[bo + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code y[yo + i] += alpha x[xo + i]}. */
  static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
    for (int i = 0; i < len; i++) {
      y[yo + i] += alpha * x[xo + i];
    }
  }

  /** Sizes of one convolution applied to one input. */
  private static final class Geometry {
    final int n;
    final int ci;
    final int h;
    final int w;
    final int ho;
    final int wo;
    final int k;
    final int s;
    final int p;
    final int groups;
    final int inPerGroup;
    final int outPerGroup;
    /** Output pixels per channel. */
    final int pixels;
    /** Kernel taps per output channel: inPerGroup * k * k (the length of a weight row). */
    final int taps;

    Geometry(Conv2d c, Tensor x) {
      n = x.dim(0);
      ci = x.dim(1);
      h = x.dim(2);
      w = x.dim(3);
      ho = c.outputSize(h);
      wo = c.outputSize(w);
      k = c.kernel();
      s = c.stride();
      p = c.padding();
      groups = c.groups();
      inPerGroup = c.inChannels() / groups;
      outPerGroup = c.outChannels() / groups;
      pixels = ho * wo;
      taps = inPerGroup * k * k;
    }

    /** Multiply-adds of one (example, group) item. */
    long itemWork() {
      return (long) outPerGroup * pixels * taps;
    }

    /** The patch matrix {@code [pixels][taps]} of example {@code n}, group {@code grp}. */
    double[] im2col(double[] x, int n, int grp) {
      double[] patches = new double[pixels * taps];
      for (int cl = 0; cl < inPerGroup; cl++) {
        int xOff = (n * ci + grp * inPerGroup + cl) * h * w;
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            int r = (cl * k + ky) * k + kx;
            for (int oy = 0; oy < ho; oy++) {
              int iy = oy * s - p + ky;
              if (iy < 0 || iy >= h) {
                continue;
              }
              for (int ox = 0; ox < wo; ox++) {
                int ix = ox * s - p + kx;
                if (ix >= 0 && ix < w) {
                  patches[(oy * wo + ox) * taps + r] = x[xOff + iy * w + ix];
                }
              }
            }
          }
        }
      }
      return patches;
    }

    /** Adds each patch entry back onto the input position it was read from (the adjoint of {@link #im2col}). */
    void col2imAdd(double[] dPatches, double[] dx, int n, int grp) {
      for (int cl = 0; cl < inPerGroup; cl++) {
        int xOff = (n * ci + grp * inPerGroup + cl) * h * w;
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            int r = (cl * k + ky) * k + kx;
            for (int oy = 0; oy < ho; oy++) {
              int iy = oy * s - p + ky;
              if (iy < 0 || iy >= h) {
                continue;
              }
              for (int ox = 0; ox < wo; ox++) {
                int ix = ox * s - p + kx;
                if (ix >= 0 && ix < w) {
                  dx[xOff + iy * w + ix] += dPatches[(oy * wo + ox) * taps + r];
                }
              }
            }
          }
        }
      }
    }
  }
}
