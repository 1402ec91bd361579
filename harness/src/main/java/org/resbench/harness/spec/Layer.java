package org.resbench.harness.spec;

import java.util.List;

/**
 * One layer of a model spec. The set of layers is closed: every backend translates each of them, and the
 * canonical semantics of each (DESIGN.md section 3) are written on the record. Implementations are
 * immutable records, validated at construction, and thread-safe.
 *
 * <p>Inputs carry a batch axis that shapes here leave out: a layer maps an example of shape
 * {@link #outputShape(Shape) in} to one of shape {@code outputShape(in)}.
 */
public sealed interface Layer
    permits Conv2d, BatchNorm, Relu, Linear, GlobalAvgPool, Flatten, SubsamplePad {

  /** The shape of one output example, or an {@link IllegalArgumentException} naming the mismatch. */
  Shape outputShape(Shape in);

  /** Parameters and buffers this layer owns, in a fixed order. */
  default List<ParameterSpec> parameters() {
    return List.of();
  }

  /** Multiply-accumulates per example (convolutions and linear layers; others count zero). */
  default long macs(Shape in) {
    return 0;
  }

  /** A stable text form of this layer's structure, hashed into the spec's content hash. */
  String canonical();

  /** Checks that a layer's input has the expected rank and leading size. */
  static void requireInput(String layer, Shape in, int rank, int leading, String what) {
    if (in.rank() != rank || in.dim(0) != leading) {
      throw new IllegalArgumentException(layer + ": input shape " + in + " does not match; allowed: " + what);
    }
  }

  static void requirePositive(String layer, String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(layer + ": " + field + "=" + value + "; allowed: a positive integer");
    }
  }
}
