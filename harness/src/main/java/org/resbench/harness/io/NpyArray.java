package org.resbench.harness.io;

import java.util.Arrays;

/**
 * One array as NumPy's {@code .npy} format holds it: a little-endian element type, a C-order shape, and the
 * values, held as {@code float[]} (float32), {@code double[]} (float64) or {@code long[]} (int64). Immutable
 * by convention: the arrays are not copied, so whoever builds one must not change them afterwards.
 *
 * @param dtype the element type
 * @param shape the shape (empty for a scalar)
 * @param data a {@code float[]}, {@code double[]} or {@code long[]} of exactly the shape's size
 */
public record NpyArray(Dtype dtype, int[] shape, Object data) {

  /** The element types read and written: little-endian float32, float64 and int64. */
  public enum Dtype {
    FLOAT32("<f4", 4), FLOAT64("<f8", 8), INT64("<i8", 8);

    private final String descr;
    private final int bytes;

    Dtype(String descr, int bytes) {
      this.descr = descr;
      this.bytes = bytes;
    }

    /** NumPy's type string, e.g. {@code <f4}. */
    public String descr() {
      return descr;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }
  }

  public NpyArray {
    shape = shape.clone();
    long n = size(shape);
    int length = switch (dtype) {
      case FLOAT32 -> ((float[]) data).length;
      case FLOAT64 -> ((double[]) data).length;
      case INT64 -> ((long[]) data).length;
    };
    if (length != n) {
      throw new IllegalArgumentException("npy array of shape " + Arrays.toString(shape) + " holds " + n
          + " elements but its data has " + length + "; allowed: exactly the shape's size");
    }
  }

  public static NpyArray of(float[] data, int... shape) {
    return new NpyArray(Dtype.FLOAT32, shape, data);
  }

  public static NpyArray of(double[] data, int... shape) {
    return new NpyArray(Dtype.FLOAT64, shape, data);
  }

  public static NpyArray of(long[] data, int... shape) {
    return new NpyArray(Dtype.INT64, shape, data);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The number of elements: the product of the shape (1 for a scalar). */
  public int size() {
    return Math.toIntExact(size(shape));
  }

  /** The values as float32 (float64 values are rounded; int64 values converted). */
  public float[] toFloats() {
    return switch (dtype) {
      case FLOAT32 -> (float[]) data;
      case FLOAT64 -> {
        double[] d = (double[]) data;
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
          f[i] = (float) d[i];
        }
        yield f;
      }
      case INT64 -> {
        long[] l = (long[]) data;
        float[] f = new float[l.length];
        for (int i = 0; i < l.length; i++) {
          f[i] = l[i];
        }
        yield f;
      }
    };
  }

  /** The values as float64 (exact for float32 and for int64 up to 2^53). */
  public double[] toDoubles() {
    return switch (dtype) {
      case FLOAT64 -> (double[]) data;
      case FLOAT32 -> {
        float[] f = (float[]) data;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          d[i] = f[i];
        }
        yield d;
      }
      case INT64 -> Arrays.stream((long[]) data).asDoubleStream().toArray();
    };
  }

  /** The values as int64; only for an int64 array. */
  public long[] toLongs() {
    if (dtype != Dtype.INT64) {
      throw new IllegalArgumentException("npy array of " + dtype.descr() + " read as integers; allowed: an int64"
          + " (<i8) array");
    }
    return (long[]) data;
  }

  static long size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("npy shape " + Arrays.toString(shape) + "; allowed: sizes >= 0");
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
