package org.resbench.harness.model;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import org.resbench.harness.spec.InitScheme;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * Draws a model's initial state from a seed, in Java, so every backend starts from the same bits. Each
 * tensor has its own stream derived from (seed, "init/" + tensor name): weights do not depend on the order
 * in which layers were built or tensors are visited. Stateless and thread-safe.
 */
public final class Initializer {
  private Initializer() {}

  /** The initial state of {@code spec} for {@code seed}, drawn by the spec's {@link InitScheme}. */
  public static ModelState initialize(ModelSpec spec, long seed) {
    LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      out.put(p.name(), draw(spec.init(), p, seed));
    }
    return new ModelState(spec, out);
  }

  /** One tensor's initial value; depends only on (scheme, parameter spec, seed). */
  public static HostTensor draw(InitScheme scheme, ParameterSpec p, long seed) {
    float[] v = new float[p.shape().size()];
    double std = switch (p.role()) {
      case CONV_WEIGHT -> scheme.convWeights().std(p.fanIn());
      case LINEAR_WEIGHT -> scheme.linearWeights().std(p.fanIn());
      case BIAS -> scheme.biases().std(p.fanIn());
      case BN_SCALE, BN_RUNNING_VAR -> {
        java.util.Arrays.fill(v, 1f);
        yield 0;
      }
      case BN_SHIFT, BN_RUNNING_MEAN -> 0;
    };
    if (std > 0) {
      SplittableRandom rng = Rngs.stream(seed, "init/" + p.name());
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (std * Rngs.gaussian(rng));
      }
    }
    return HostTensor.of(v, p.shape().dims());
  }
}
