package org.resbench.harness.spec;

/** Flattens each example to a vector in row-major (C, H, W) order. */
public record Flatten() implements Layer {
  @Override
  public Shape outputShape(Shape in) {
    return Shape.of(in.size());
  }

  @Override
  public String canonical() {
    return "flatten";
  }
}
