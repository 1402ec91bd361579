package org.resbench.harness.reference;

import org.resbench.harness.spec.SubsamplePad;

/**
 * The parameter-free layers (ReLU, global average pooling, the option-A shortcut) and their backward passes. Stateless.
 */
final class Pointwise {
  private Pointwise() {}

  static Tensor relu(Tensor x) {
    Tensor y = Tensor.zeros(x.shape);
    for (int i = 0; i < x.data.length; i++) {
      y.data[i] = x.data[i] > 0 ? x.data[i] : 0;
    }
    return y;
  }

  /** {@code dx = dy} where the input was positive, else 0 (the derivative at exactly 0 is 0). */
  static Tensor reluBackward(Tensor x, Tensor dy) {
    Tensor dx = Tensor.zeros(x.shape);
    for (int i = 0; i < x.data.length; i++) {
      dx.data[i] = x.data[i] > 0 ? dy.data[i] : 0;
    }
    return dx;
  }

  /**
   * How close the input of a ReLU came to its kink: the smallest non-zero {@code |x|} divided by the RMS of
   * {@code x}; infinity when every value is exactly 0. Exact zeros are left out: they arise structurally
   * (e.g. zero-padded channels) and are exactly zero on every backend.
   */
  static double reluMargin(Tensor x) {
    double sq = 0;
    double min = Double.POSITIVE_INFINITY;
    for (double v : x.data) {
      sq += v * v;
      double a = Math.abs(v);
      if (a > 0 && a < min) {
        min = a;
      }
    }
    if (sq == 0) {
      return Double.POSITIVE_INFINITY;
    }
    return min / Math.sqrt(sq / x.data.length);
  }

  /** {@code [N, C, H, W] -> [N, C]}, the mean over H and W. */
  static Tensor globalAvgPool(Tensor x) {
    int n = x.dim(0);
    int c = x.dim(1);
    int spatial = x.dim(2) * x.dim(3);
    Tensor y = Tensor.zeros(n, c);
    for (int i = 0; i < n * c; i++) {
      double sum = 0;
      for (int j = 0; j < spatial; j++) {
        sum += x.data[i * spatial + j];
      }
      y.data[i] = sum / spatial;
    }
    return y;
  }

  static Tensor globalAvgPoolBackward(int[] xShape, Tensor dy) {
    Tensor dx = Tensor.zeros(xShape);
    int spatial = xShape[2] * xShape[3];
    for (int i = 0; i < dy.data.length; i++) {
      double g = dy.data[i] / spatial;
      for (int j = 0; j < spatial; j++) {
        dx.data[i * spatial + j] = g;
      }
    }
    return dx;
  }

  /** Keeps {@code x[:, :, ::s, ::s]} and appends zero channels up to {@code outChannels}. */
  static Tensor subsamplePad(SubsamplePad l, Tensor x) {
    int n = x.dim(0);
    int h = x.dim(2);
    int w = x.dim(3);
    int s = l.stride();
    int ho = (h - 1) / s + 1;
    int wo = (w - 1) / s + 1;
    Tensor y = Tensor.zeros(n, l.outChannels(), ho, wo);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < l.inChannels(); c++) {
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            y.data[((i * l.outChannels() + c) * ho + oy) * wo + ox] = x.data[((i * l.inChannels() + c) * h + oy * s) * w
                + ox * s];
          }
        }
      }
    }
    return y;
  }

  /** Scatters the gradient back to the kept positions; the padded channels' gradient is dropped. */
  static Tensor subsamplePadBackward(SubsamplePad l, int[] xShape, Tensor dy) {
    Tensor dx = Tensor.zeros(xShape);
    int n = xShape[0];
    int h = xShape[2];
    int w = xShape[3];
    int s = l.stride();
    int ho = dy.dim(2);
    int wo = dy.dim(3);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < l.inChannels(); c++) {
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            dx.data[((i * l.inChannels() + c) * h + oy * s) * w + ox * s] = dy.data[((i * l.outChannels() + c) * ho
                + oy)
                * wo + ox];
          }
        }
      }
    }
    return dx;
  }
}
