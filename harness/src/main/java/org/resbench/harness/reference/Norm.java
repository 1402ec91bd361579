package org.resbench.harness.reference;

import org.resbench.harness.spec.BatchNorm;

/**
 * BatchNorm over the channel axis of {@code [N, C, H, W]} or {@code [N, C]} tensors, in both modes, with
 * the full backward pass. Statistics use two passes over the data (mean, then squared deviations), which is
 * exact enough in float64 for any input the harness produces. Stateless.
 */
final class Norm {
  private Norm() {}

  /**
   * What a forward pass keeps for the backward pass, and the batch statistics a training step folds into
   * the running averages.
   *
   * @param normalized {@code (x - mean) * invStd}, shaped like the input
   * @param invStd {@code 1 / sqrt(var + eps)} per channel, of the statistics used
   * @param batchMean the batch mean per channel (TRAIN mode), else null
   * @param batchVarUnbiased the unbiased batch variance per channel (TRAIN mode; NaN when a channel has
   *     only one value), else null
   * @param count values per channel (N * H * W)
   */
  record Result(Tensor output, Tensor normalized, double[] invStd, double[] batchMean, double[] batchVarUnbiased,
      int count) {}

  /** Training mode: normalise with the batch mean and the biased batch variance. */
  static Result forwardTrain(BatchNorm bn, double[] gamma, double[] beta, Tensor x, Parallel par) {
    return forward(bn, gamma, beta, null, null, x, par);
  }

  /** Inference mode: normalise with the running statistics. */
  static Result forwardInference(BatchNorm bn, double[] gamma, double[] beta, double[] runningMean,
      double[] runningVar, Tensor x, Parallel par) {
    return forward(bn, gamma, beta, runningMean, runningVar, x, par);
  }

  private static Result forward(BatchNorm bn, double[] gamma, double[] beta, double[] runningMean,
      double[] runningVar, Tensor x, Parallel par) {
    int n = x.dim(0);
    int c = x.dim(1);
    int spatial = x.perExample() / c;
    int count = n * spatial;
    boolean train = runningMean == null;
    Tensor y = Tensor.zeros(x.shape);
    Tensor xhat = Tensor.zeros(x.shape);
    double[] invStd = new double[c];
    double[] mean = train ? new double[c] : null;
    double[] varUnbiased = train ? new double[c] : null;
    par.forEach(c, 3L * count, ch -> {
      double m;
      double v;
      if (train) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          int off = (i * c + ch) * spatial;
          for (int j = 0; j < spatial; j++) {
            sum += x.data[off + j];
          }
        }
        m = sum / count;
        double sq = 0;
        for (int i = 0; i < n; i++) {
          int off = (i * c + ch) * spatial;
          for (int j = 0; j < spatial; j++) {
            double d = x.data[off + j] - m;
            sq += d * d;
          }
        }
        v = sq / count;
        mean[ch] = m;
        varUnbiased[ch] = count > 1 ? sq / (count - 1) : Double.NaN;
      } else {
        m = runningMean[ch];
        v = runningVar[ch];
      }
      double inv = 1.0 / Math.sqrt(v + bn.eps());
      invStd[ch] = inv;
      for (int i = 0; i < n; i++) {
        int off = (i * c + ch) * spatial;
        for (int j = 0; j < spatial; j++) {
          double h = (x.data[off + j] - m) * inv;
          xhat.data[off + j] = h;
          y.data[off + j] = gamma[ch] * h + beta[ch];
        }
      }
    });
    return new Result(y, xhat, invStd, mean, varUnbiased, count);
  }

  /**
   * The backward pass. It adds {@code dgamma = sum dy * xhat} and {@code dbeta = sum dy} (when the arrays are
   * not null) and returns dx: in TRAIN mode the statistics depend on every example, so
   * {@code dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))}; in INFERENCE mode they are
   * constants and {@code dx = gamma * invStd * dy}.
   */
  static Tensor backward(boolean train, double[] gamma, Result r, Tensor dy, double[] dGamma, double[] dBeta,
      Parallel par) {
    int n = dy.dim(0);
    int c = dy.dim(1);
    int spatial = dy.perExample() / c;
    Tensor dx = Tensor.zeros(dy.shape);
    double[] xhat = r.normalized().data;
    par.forEach(c, 3L * r.count(), ch -> {
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int i = 0; i < n; i++) {
        int off = (i * c + ch) * spatial;
        for (int j = 0; j < spatial; j++) {
          sumDy += dy.data[off + j];
          sumDyXhat += dy.data[off + j] * xhat[off + j];
        }
      }
      if (dGamma != null) {
        dGamma[ch] += sumDyXhat;
        dBeta[ch] += sumDy;
      }
      double scale = gamma[ch] * r.invStd()[ch];
      double meanDy = train ? sumDy / r.count() : 0;
      double meanDyXhat = train ? sumDyXhat / r.count() : 0;
      for (int i = 0; i < n; i++) {
        int off = (i * c + ch) * spatial;
        for (int j = 0; j < spatial; j++) {
          dx.data[off + j] = scale * (dy.data[off + j] - meanDy - xhat[off + j] * meanDyXhat);
        }
      }
    });
    return dx;
  }
}
