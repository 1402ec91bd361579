package org.resbench.harness.backend;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;

/**
 * One gate value per block, an input to every forward pass (never baked into a model). Residual block:
 * {@code y = post(S(x) + g * F(x))}; plain block: {@code y = post((1 - g) S(x) + g F(x))} (see {@link Block}).
 * Stochastic depth trains with {@code g ~ Bernoulli(p_b)} drawn by the harness and infers with
 * {@code g = p_b} (Huang et al. Eq. 6); a lesion sets {@code g = 0}. Immutable and thread-safe.
 */
public final class BlockGates {
  private final float[] values;

  private BlockGates(float[] values) {
    this.values = values;
  }

  /** Gates with the given values, one per block. */
  public static BlockGates of(float... values) {
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0 && values[i] <= 1)) {
        throw new IllegalArgumentException("gate of block " + i + " is " + values[i] + "; allowed: [0, 1]");
      }
    }
    return new BlockGates(values.clone());
  }

  /** Every block fully on: the ordinary network. */
  public static BlockGates ones(ModelSpec spec) {
    float[] v = new float[spec.blocks().size()];
    Arrays.fill(v, 1f);
    return new BlockGates(v);
  }

  /** Inference gates: {@code g_b = p_b} (all ones for nets without stochastic depth). */
  public static BlockGates inference(ModelSpec spec) {
    float[] v = new float[spec.blocks().size()];
    for (Block b : spec.blocks()) {
      v[b.index()] = (float) b.survivalProbability();
    }
    return new BlockGates(v);
  }

  /**
   * Training gates for stochastic depth: {@code g_b ~ Bernoulli(p_b)}, one uniform draw per block from
   * {@code rng} (blocks with p_b = 1 draw too, so every backend's and every run's streams stay aligned).
   */
  public static BlockGates sample(ModelSpec spec, SplittableRandom rng) {
    float[] v = new float[spec.blocks().size()];
    for (Block b : spec.blocks()) {
      v[b.index()] = rng.nextDouble() < b.survivalProbability() ? 1f : 0f;
    }
    return new BlockGates(v);
  }

  /** {@code base} with the listed blocks removed ({@code g = 0}). */
  public static BlockGates lesion(BlockGates base, int... blocks) {
    float[] v = base.values.clone();
    for (int b : blocks) {
      if (b < 0 || b >= v.length) {
        throw new IllegalArgumentException("lesioned block " + b + "; allowed: 0.." + (v.length - 1));
      }
      v[b] = 0f;
    }
    return new BlockGates(v);
  }

  /** Whether every gate is 1 (backends may skip the gate arithmetic then). */
  public boolean allOnes() {
    for (float f : values) {
      if (f != 1f) {
        return false;
      }
    }
    return true;
  }

  public int size() {
    return values.length;
  }

  public float get(int block) {
    return values[block];
  }

  /** A copy of the values. */
  public float[] values() {
    return values.clone();
  }

  /** Checks that there is one gate per block of {@code spec}. */
  public BlockGates requireFor(ModelSpec spec) {
    if (values.length != spec.blocks().size()) {
      throw new IllegalArgumentException("gates: " + values.length + " values for '" + spec.name() + "'; allowed: "
          + spec.blocks().size() + " (one per block)");
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockGates g && Arrays.equals(values, g.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "BlockGates" + Arrays.toString(values);
  }
}
