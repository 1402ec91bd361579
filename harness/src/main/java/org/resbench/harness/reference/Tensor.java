package org.resbench.harness.reference;

import java.util.Arrays;
import org.resbench.harness.tensor.HostTensor;

/**
 * A float64 tensor: a row-major {@code double[]} and its full shape (batch axis first). The reference treats
 * tensors as values: a kernel writes only the tensor it creates, so tensors may share arrays (a flatten is a
 * new shape over the same data). Not thread-safe while being written.
 */
final class Tensor {
  final int[] shape;
  final double[] data;

  Tensor(int[] shape, double[] data) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalStateException("tensor shape " + Arrays.toString(shape) + " holds " + n + " elements, array "
          + data.length);
    }
    this.shape = shape;
    this.data = data;
  }

  static Tensor zeros(int... shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return new Tensor(shape.clone(), new double[Math.toIntExact(n)]);
  }

  static Tensor fromHost(HostTensor t) {
    float[] f = t.data();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return new Tensor(t.shape(), d);
  }

  HostTensor toHost() {
    return HostTensor.of(toFloats(data), shape);
  }

  static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  int dim(int axis) {
    return shape[axis];
  }

  int rank() {
    return shape.length;
  }

  int size() {
    return data.length;
  }

  /** Elements per example (everything but the batch axis). */
  int perExample() {
    return data.length / shape[0];
  }

  /** The same data with another shape of equal size. */
  Tensor reshape(int... newShape) {
    return new Tensor(newShape.clone(), data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
