package org.resbench.harness.tensor;

import java.util.Arrays;

/**
 * A float32 tensor in host memory: a row-major {@code float[]} and its full shape (batch axis included).
 * This is what crosses the backend SPI; no native type does.
 *
 * <p>Ownership: the tensor wraps its array without copying, so handing one to a backend call costs nothing.
 * The array stays writable: whoever creates a tensor must not change it while a call that received it runs.
 * Not thread-safe for concurrent writes.
 */
public final class HostTensor {
  private final float[] data;
  private final int[] shape;

  private HostTensor(float[] data, int[] shape) {
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + ": dimension " + i
            + " is negative; allowed: sizes >= 0");
      }
      n *= shape[i];
    }
    if (n != data.length) {
      throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " holds " + n
          + " elements but the array has " + data.length + "; allowed: an array of exactly the shape's size");
    }
    this.data = data;
    this.shape = shape;
  }

  /** Wraps {@code data} (not copied) with a copy of {@code shape}. */
  public static HostTensor of(float[] data, int... shape) {
    return new HostTensor(data, shape.clone());
  }

  /** A zero-filled tensor. */
  public static HostTensor zeros(int... shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return new HostTensor(new float[Math.toIntExact(n)], shape.clone());
  }

  /** The backing array (not a copy). */
  public float[] data() {
    return data;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  /** The shape as longs, the form engines take. */
  public long[] longShape() {
    long[] s = new long[shape.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = shape[i];
    }
    return s;
  }

  public int size() {
    return data.length;
  }

  /** A deep copy. */
  public HostTensor copy() {
    return new HostTensor(data.clone(), shape.clone());
  }

  /** Whether both shapes are equal. */
  public boolean sameShape(HostTensor other) {
    return Arrays.equals(shape, other.shape);
  }

  @Override
  public String toString() {
    return "HostTensor" + Arrays.toString(shape);
  }
}
