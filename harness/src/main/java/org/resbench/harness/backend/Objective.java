package org.resbench.harness.backend;

import org.resbench.harness.tensor.HostTensor;

/**
 * The scalar that {@link Session#gradients} differentiates. Immutable.
 */
public sealed interface Objective {

  /** Mean softmax cross-entropy over the batch, with integer class labels. */
  record CrossEntropy(int[] labels) implements Objective {
    public CrossEntropy {
      labels = labels.clone();
    }
  }

  /**
   * {@code sum(cotangent * output)}: its gradient is the vector-Jacobian product with {@code cotangent}.
   * A cotangent of ones on a scalar-output net gives {@code d(sum_i y_i)/dx}, the shattered-gradients
   * study's quantity. The cotangent has the output's shape {@code [N, outputs]}.
   */
  record OutputCotangent(HostTensor cotangent) implements Objective {}

  /** Cross-entropy with these labels. */
  static Objective crossEntropy(int[] labels) {
    return new CrossEntropy(labels);
  }

  /** The sum of all outputs (cotangent of ones) for a batch of {@code n} examples with {@code outputs} each. */
  static Objective sumOfOutputs(int n, int outputs) {
    float[] ones = new float[n * outputs];
    java.util.Arrays.fill(ones, 1f);
    return new OutputCotangent(HostTensor.of(ones, n, outputs));
  }
}
