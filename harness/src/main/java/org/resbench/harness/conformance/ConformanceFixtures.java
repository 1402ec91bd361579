package org.resbench.harness.conformance;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import org.resbench.harness.data.Batch;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * The weights, batches and cotangents that conformance checks and the parity experiment feed to every
 * backend: all derived from a seed through named {@link Rngs} streams, so every backend and every run gets
 * identical bits. Stateless and thread-safe.
 */
public final class ConformanceFixtures {
  private ConformanceFixtures() {}

  /**
   * The spec's seeded initial state with every BatchNorm scale, shift and running statistic and every bias
   * moved away from its initial value (scale in [0.75, 1.25], shift and running mean ~ N(0, 0.2^2), running
   * variance in [0.5, 1.5], biases + N(0, 0.1^2)). At the plain initial values (scale 1, shift 0, running
   * statistics 0 and 1, zero biases) several mistakes are invisible: inference-mode BN would be nearly the
   * identity, and a swapped scale and shift, or a dropped bias, would change nothing.
   */
  public static ModelState state(ModelSpec spec, long seed) {
    ModelState init = Initializer.initialize(spec, seed);
    LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      float[] v = init.get(p.name()).data().clone();
      SplittableRandom r = Rngs.stream(seed, "conformance/perturb/" + p.name());
      for (int i = 0; i < v.length; i++) {
        switch (p.role()) {
          case BN_SCALE -> v[i] = (float) (0.75 + 0.5 * r.nextDouble());
          case BN_SHIFT, BN_RUNNING_MEAN -> v[i] = (float) (0.2 * Rngs.gaussian(r));
          case BN_RUNNING_VAR -> v[i] = (float) (0.5 + r.nextDouble());
          case BIAS -> v[i] += (float) (0.1 * Rngs.gaussian(r));
          default -> {
            // weights keep their seeded initial values
          }
        }
      }
      out.put(p.name(), HostTensor.of(v, p.shape().dims()));
    }
    return new ModelState(spec, out);
  }

  /**
   * Candidate batch number {@code attempt}: standard normal inputs and uniform labels from the stream
   * (seed, "conformance/batch/attempt"). Checks try successive attempts until the reference's ReLU margin is
   * safe (see {@link Tolerances#RELU_MARGIN}).
   */
  public static Batch batch(ModelSpec spec, int batchSize, long seed, int attempt) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize=" + batchSize + "; allowed: 1 or more");
    }
    SplittableRandom r = Rngs.stream(seed, "conformance/batch/" + attempt);
    float[] x = new float[batchSize * spec.inputShape().size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Rngs.gaussian(r);
    }
    int[] labels = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      labels[i] = r.nextInt(spec.outputs());
    }
    return new Batch(HostTensor.of(x, batchShape(spec, batchSize)), labels);
  }

  /** A standard normal cotangent {@code [batchSize, outputs]} from the stream (seed, "conformance/cotangent"). */
  public static HostTensor cotangent(ModelSpec spec, int batchSize, long seed) {
    SplittableRandom r = Rngs.stream(seed, "conformance/cotangent");
    float[] c = new float[batchSize * spec.outputs()];
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) Rngs.gaussian(r);
    }
    return HostTensor.of(c, batchSize, spec.outputs());
  }

  /** {@code [batchSize, ...inputShape]}. */
  public static int[] batchShape(ModelSpec spec, int batchSize) {
    int[] in = spec.inputShape().dims();
    int[] shape = Arrays.copyOf(new int[] {batchSize}, in.length + 1);
    System.arraycopy(in, 0, shape, 1, in.length);
    return shape;
  }
}
