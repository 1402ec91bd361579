package org.resbench.harness.reference;

/** The objectives of the SPI in float64: mean softmax cross-entropy and {@code sum(cotangent * output)}. Stateless. */
final class Losses {
  private Losses() {}

  /** A scalar objective and its gradient with respect to the output. */
  record Value(double value, Tensor gradient) {}

  /**
   * {@code mean_i (logsumexp(z_i) - z_i[label_i])}, computed with the row maximum subtracted; its gradient is
   * {@code (softmax(z) - onehot(label)) / N}.
   */
  static Value crossEntropy(Tensor logits, int[] labels) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    Tensor grad = Tensor.zeros(n, k);
    double total = 0;
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, logits.data[i * k + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(logits.data[i * k + j] - max);
      }
      total += Math.log(sum) + max - logits.data[i * k + labels[i]];
      for (int j = 0; j < k; j++) {
        grad.data[i * k + j] = Math.exp(logits.data[i * k + j] - max) / sum / n;
      }
      grad.data[i * k + labels[i]] -= 1.0 / n;
    }
    return new Value(total / n, grad);
  }

  /** {@code sum(cotangent * output)}; its gradient is the cotangent. */
  static Value cotangent(Tensor output, Tensor cotangent) {
    double sum = 0;
    for (int i = 0; i < output.data.length; i++) {
      sum += cotangent.data[i] * output.data[i];
    }
    return new Value(sum, cotangent);
  }
}
