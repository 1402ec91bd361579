package org.resbench.harness.spec;

/** Mean over the spatial axes: {@code [C, H, W] -> [C]} (the batch axis is kept). */
public record GlobalAvgPool() implements Layer {
  @Override
  public Shape outputShape(Shape in) {
    if (in.rank() != 3) {
      throw new IllegalArgumentException("GlobalAvgPool: input shape " + in + "; allowed: CxHxW");
    }
    return Shape.of(in.dim(0));
  }

  @Override
  public String canonical() {
    return "gap";
  }
}
