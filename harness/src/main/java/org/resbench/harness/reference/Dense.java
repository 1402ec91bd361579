package org.resbench.harness.reference;

import org.resbench.harness.spec.Linear;

/**
 * The fully connected layer {@code y = x W^T + b} on {@code [N, in]} tensors and its vector-Jacobian products.
 * Stateless.
 */
final class Dense {
  private Dense() {}

  static Tensor forward(Linear l, double[] w, double[] bias, Tensor x, Parallel par) {
    int n = x.dim(0);
    int in = l.inFeatures();
    int out = l.outFeatures();
    Tensor y = Tensor.zeros(n, out);
    par.forEach(n * out, in, item -> {
      int i = item / out;
      int o = item % out;
      double sum = bias == null ? 0 : bias[o];
      int xOff = i * in;
      int wOff = o * in;
      for (int j = 0; j < in; j++) {
        sum += w[wOff + j] * x.data[xOff + j];
      }
      y.data[item] = sum;
    });
    return y;
  }

  /** {@code dx = dy W}. */
  static Tensor backwardInput(Linear l, double[] w, Tensor dy, Parallel par) {
    int n = dy.dim(0);
    int in = l.inFeatures();
    int out = l.outFeatures();
    Tensor dx = Tensor.zeros(n, in);
    par.forEach(n, (long) in * out, i -> {
      int xOff = i * in;
      for (int o = 0; o < out; o++) {
        double g = dy.data[i * out + o];
        int wOff = o * in;
        for (int j = 0; j < in; j++) {
          dx.data[xOff + j] += g * w[wOff + j];
        }
      }
    });
    return dx;
  }

  /** Adds {@code dW = dy^T x} and {@code db = sum_n dy} (when {@code dBias} is not null). */
  static void backwardParameters(Linear l, Tensor x, Tensor dy, double[] dWeight, double[] dBias, Parallel par) {
    int n = dy.dim(0);
    int in = l.inFeatures();
    int out = l.outFeatures();
    par.forEach(out, (long) n * in, o -> {
      int wOff = o * in;
      double biasSum = 0;
      for (int i = 0; i < n; i++) {
        double g = dy.data[i * out + o];
        biasSum += g;
        int xOff = i * in;
        for (int j = 0; j < in; j++) {
          dWeight[wOff + j] += g * x.data[xOff + j];
        }
      }
      if (dBias != null) {
        dBias[o] += biasSum;
      }
    });
  }
}
