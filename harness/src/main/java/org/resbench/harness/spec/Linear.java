package org.resbench.harness.spec;

import java.util.ArrayList;
import java.util.List;

/** Fully connected layer {@code y = x W^T + b} on NC input; weight shape {@code [out, in]}. */
public record Linear(String name, int inFeatures, int outFeatures, boolean bias) implements Layer {

  public Linear {
    Layer.requirePositive("Linear '" + name + "'", "inFeatures", inFeatures);
    Layer.requirePositive("Linear '" + name + "'", "outFeatures", outFeatures);
  }

  @Override
  public Shape outputShape(Shape in) {
    Layer.requireInput("Linear '" + name + "'", in, 1, inFeatures, String.valueOf(inFeatures));
    return Shape.of(outFeatures);
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> p = new ArrayList<>(2);
    p.add(new ParameterSpec(name + ".weight", Shape.of(outFeatures, inFeatures), ParameterSpec.Role.LINEAR_WEIGHT,
        inFeatures));
    if (bias) {
      p.add(new ParameterSpec(name + ".bias", Shape.of(outFeatures), ParameterSpec.Role.BIAS, inFeatures));
    }
    return p;
  }

  @Override
  public long macs(Shape in) {
    return (long) inFeatures * outFeatures;
  }

  @Override
  public String canonical() {
    return "linear(" + name + "," + inFeatures + "," + outFeatures + (bias ? ",bias" : "") + ")";
  }
}
