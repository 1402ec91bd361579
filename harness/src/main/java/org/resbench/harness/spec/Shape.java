package org.resbench.harness.spec;

import java.util.Arrays;

/**
 * The shape of one example (no batch axis), or of a parameter tensor. Immutable and thread-safe.
 *
 * <p>Images are {@code [C, H, W]}, feature vectors {@code [D]}; parameter shapes follow the ONNX / PyTorch
 * layouts ({@code [Co, Ci/groups, k, k]} for convolutions, {@code [out, in]} for linear layers).
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    if (dims.length == 0) {
      throw new IllegalArgumentException("shape: needs at least one dimension; allowed: 1 or more positive sizes");
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] <= 0) {
        throw new IllegalArgumentException("shape: dimension " + i + " is " + dims[i]
            + " in " + Arrays.toString(dims) + "; allowed: positive sizes");
      }
    }
    this.dims = dims;
  }

  /** A shape with the given positive dimensions. */
  public static Shape of(int... dims) {
    return new Shape(dims.clone());
  }

  /** Parses {@code 3x32x32} or {@code 200}. */
  public static Shape parse(String text) {
    String[] parts = text.trim().split("x");
    int[] dims = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        dims[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        if (parts[i].matches("\\d+")) {
          throw new IllegalArgumentException("shape '" + text + "': " + parts[i] + " is too large; allowed: sizes up"
              + " to " + Integer.MAX_VALUE + " joined by 'x', e.g. 3x32x32");
        }
        throw new IllegalArgumentException("shape '" + text + "': '" + parts[i]
            + "' is not a number; allowed: positive sizes joined by 'x', e.g. 3x32x32 or 200");
      }
    }
    return new Shape(dims);
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int axis) {
    return dims[axis];
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** The dimensions as longs, with a leading batch axis (the form engines take). */
  public long[] withBatch(int batch) {
    long[] out = new long[dims.length + 1];
    out[0] = batch;
    for (int i = 0; i < dims.length; i++) {
      out[i + 1] = dims[i];
    }
    return out;
  }

  /** The number of elements; an {@link IllegalArgumentException} when it exceeds an int (a Java array's limit). */
  public int size() {
    long n = elements();
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + this + " is too large: " + (n == Long.MAX_VALUE ? "more than"
          + " 9.2e18" : String.format(java.util.Locale.ROOT, "%,d", n)) + " elements; allowed: at most "
          + String.format(java.util.Locale.ROOT, "%,d", Integer.MAX_VALUE) + " per tensor");
    }
    return (int) n;
  }

  /** The number of elements as a long, or {@link Long#MAX_VALUE} when even that overflows. */
  public long elements() {
    long n = 1;
    for (int d : dims) {
      n = MemoryEstimate.saturatingMultiply(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape other && Arrays.equals(dims, other.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** {@code 3x32x32}: the form {@link #parse} reads. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append('x');
      }
      sb.append(dims[i]);
    }
    return sb.toString();
  }
}
