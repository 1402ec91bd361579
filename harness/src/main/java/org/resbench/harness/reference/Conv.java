package org.resbench.harness.reference;

import org.resbench.harness.spec.Conv2d;

/**
 * Grouped, strided, zero-padded 2-D cross-correlation over NCHW tensors, and its two vector-Jacobian
 * products, as direct loops in float64. Each loop nest keeps the innermost loop over contiguous output
 * columns and clips the kernel window to the image once per row instead of testing every tap. Stateless.
 */
final class Conv {
  private Conv() {}

  /** {@code y[n, co] = b[co] + sum_{ci in group(co), ky, kx} w[co, ci, ky, kx] x[n, ci, oy*s - p + ky, ox*s - p + kx]}. */
  static Tensor forward(Conv2d c, double[] w, double[] bias, Tensor x, Parallel par) {
    Geometry g = new Geometry(c, x);
    Tensor y = Tensor.zeros(g.n, c.outChannels(), g.ho, g.wo);
    double[] xd = x.data;
    double[] yd = y.data;
    par.forEach(g.n * c.outChannels(), g.work(), item -> {
      int n = item / c.outChannels();
      int co = item % c.outChannels();
      int ciBase = co / g.outPerGroup * g.inPerGroup;
      int yOff = item * g.ho * g.wo;
      if (bias != null) {
        java.util.Arrays.fill(yd, yOff, yOff + g.ho * g.wo, bias[co]);
      }
      for (int cl = 0; cl < g.inPerGroup; cl++) {
        int xOff = (n * g.ci + ciBase + cl) * g.h * g.w;
        for (int ky = 0; ky < g.k; ky++) {
          int oyLo = g.lo(ky, g.h, g.ho);
          int oyHi = g.hi(ky, g.h, g.ho);
          for (int kx = 0; kx < g.k; kx++) {
            double wv = w[((co * g.inPerGroup + cl) * g.k + ky) * g.k + kx];
            int oxLo = g.lo(kx, g.w, g.wo);
            int oxHi = g.hi(kx, g.w, g.wo);
            for (int oy = oyLo; oy <= oyHi; oy++) {
              int xRow = xOff + (oy * g.s - g.p + ky) * g.w - g.p + kx;
              int yRow = yOff + oy * g.wo;
              if (g.s == 1) {
                for (int ox = oxLo; ox <= oxHi; ox++) {
                  yd[yRow + ox] += wv * xd[xRow + ox];
                }
              } else {
                for (int ox = oxLo; ox <= oxHi; ox++) {
                  yd[yRow + ox] += wv * xd[xRow + ox * g.s];
                }
              }
            }
          }
        }
      }
    });
    return y;
  }

  /** The gradient with respect to the input: each input position collects the taps that read it. */
  static Tensor backwardInput(Conv2d c, double[] w, Tensor dy, int[] xShape, Parallel par) {
    Tensor x = Tensor.zeros(xShape);
    Geometry g = new Geometry(c, x);
    double[] dyd = dy.data;
    double[] dxd = x.data;
    par.forEach(g.n * g.ci, g.work(), item -> {
      int n = item / g.ci;
      int ci = item % g.ci;
      int cl = ci % g.inPerGroup;
      int coBase = ci / g.inPerGroup * g.outPerGroup;
      int xOff = item * g.h * g.w;
      for (int j = 0; j < g.outPerGroup; j++) {
        int co = coBase + j;
        int yOff = (n * c.outChannels() + co) * g.ho * g.wo;
        for (int ky = 0; ky < g.k; ky++) {
          int oyLo = g.lo(ky, g.h, g.ho);
          int oyHi = g.hi(ky, g.h, g.ho);
          for (int kx = 0; kx < g.k; kx++) {
            double wv = w[((co * g.inPerGroup + cl) * g.k + ky) * g.k + kx];
            int oxLo = g.lo(kx, g.w, g.wo);
            int oxHi = g.hi(kx, g.w, g.wo);
            for (int oy = oyLo; oy <= oyHi; oy++) {
              int xRow = xOff + (oy * g.s - g.p + ky) * g.w - g.p + kx;
              int yRow = yOff + oy * g.wo;
              if (g.s == 1) {
                for (int ox = oxLo; ox <= oxHi; ox++) {
                  dxd[xRow + ox] += wv * dyd[yRow + ox];
                }
              } else {
                for (int ox = oxLo; ox <= oxHi; ox++) {
                  dxd[xRow + ox * g.s] += wv * dyd[yRow + ox];
                }
              }
            }
          }
        }
      }
    });
    return x;
  }

  /**
   * Adds the gradients with respect to the weight (and the bias, when {@code dBias} is not null) to
   * {@code dWeight} / {@code dBias}: {@code dw[co, ci, ky, kx] = sum_{n, oy, ox} dy[n, co, oy, ox] x[n, ci, ...]}.
   */
  static void backwardParameters(Conv2d c, Tensor x, Tensor dy, double[] dWeight, double[] dBias, Parallel par) {
    Geometry g = new Geometry(c, x);
    double[] xd = x.data;
    double[] dyd = dy.data;
    par.forEach(c.outChannels(), (long) g.n * g.work(), co -> {
      int ciBase = co / g.outPerGroup * g.inPerGroup;
      for (int n = 0; n < g.n; n++) {
        int yOff = (n * c.outChannels() + co) * g.ho * g.wo;
        for (int cl = 0; cl < g.inPerGroup; cl++) {
          int xOff = (n * g.ci + ciBase + cl) * g.h * g.w;
          for (int ky = 0; ky < g.k; ky++) {
            int oyLo = g.lo(ky, g.h, g.ho);
            int oyHi = g.hi(ky, g.h, g.ho);
            for (int kx = 0; kx < g.k; kx++) {
              int oxLo = g.lo(kx, g.w, g.wo);
              int oxHi = g.hi(kx, g.w, g.wo);
              double sum = 0;
              for (int oy = oyLo; oy <= oyHi; oy++) {
                int xRow = xOff + (oy * g.s - g.p + ky) * g.w - g.p + kx;
                int yRow = yOff + oy * g.wo;
                for (int ox = oxLo; ox <= oxHi; ox++) {
                  sum += dyd[yRow + ox] * xd[xRow + ox * g.s];
                }
              }
              dWeight[((co * g.inPerGroup + cl) * g.k + ky) * g.k + kx] += sum;
            }
          }
        }
        if (dBias != null) {
          double sum = 0;
          for (int i = 0; i < g.ho * g.wo; i++) {
            sum += dyd[yOff + i];
          }
          dBias[co] += sum;
        }
      }
    });
  }

  /** Sizes of one convolution applied to one input, and the valid output range of each kernel tap. */
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
    final int inPerGroup;
    final int outPerGroup;

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
      inPerGroup = c.inChannels() / c.groups();
      outPerGroup = c.outChannels() / c.groups();
    }

    /** Multiply-adds per (example, channel) item. */
    long work() {
      return (long) inPerGroup * k * k * ho * wo;
    }

    /** The first output index whose tap {@code t} reads inside the image: o*s - p + t >= 0. */
    int lo(int t, int size, int outSize) {
      int need = p - t;
      return need <= 0 ? 0 : Math.min(outSize, (need + s - 1) / s);
    }

    /** The last output index whose tap {@code t} reads inside the image: o*s - p + t <= size - 1. */
    int hi(int t, int size, int outSize) {
      return Math.min(outSize - 1, Math.floorDiv(size - 1 + p - t, s));
    }
  }
}
