package org.resbench.harness.spec;

/** Rectified linear unit, elementwise; its derivative at 0 is taken as 0 by every backend. */
public record Relu() implements Layer {
  @Override
  public Shape outputShape(Shape in) {
    return in;
  }

  @Override
  public String canonical() {
    return "relu";
  }
}
