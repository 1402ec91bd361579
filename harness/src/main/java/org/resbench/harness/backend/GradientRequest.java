package org.resbench.harness.backend;

import java.util.Arrays;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * What {@link Session#gradients} computes: the objective at {@code input} with BatchNorm in {@code bnMode},
 * the block {@code gates} and the backward {@code pathMask}, and which gradients to return. Immutable once
 * built; build with {@link #builder(HostTensor, Objective)}.
 */
public record GradientRequest(HostTensor input, Objective objective, BnMode bnMode, BlockGates gates,
    PathMask pathMask, boolean inputGradient, boolean parameterGradients) {

  public GradientRequest {
    if (input == null || objective == null || bnMode == null) {
      throw new IllegalArgumentException("gradient request: input, objective and bnMode are required");
    }
    if (!inputGradient && !parameterGradients) {
      throw new IllegalArgumentException("gradient request asks for no gradient; allowed: inputGradient and/or"
          + " parameterGradients");
    }
    int n = input.dim(0);
    if (objective instanceof Objective.CrossEntropy ce && ce.labels().length != n) {
      throw new IllegalArgumentException("gradient request: " + ce.labels().length + " labels for a batch of " + n
          + "; allowed: one label per example");
    }
    if (objective instanceof Objective.OutputCotangent oc && oc.cotangent().dim(0) != n) {
      throw new IllegalArgumentException("gradient request: cotangent shape " + Arrays.toString(oc.cotangent().shape())
          + " for a batch of " + n + "; allowed: [" + n + ", outputs]");
    }
  }

  /** Checks gates, mask, input shape and objective against {@code spec}; backends call this first. */
  public GradientRequest requireFor(ModelSpec spec) {
    SessionChecks.requireInput(spec, input);
    if (gates != null) {
      gates.requireFor(spec);
    }
    if (pathMask != null) {
      pathMask.requireFor(spec);
    }
    if (objective instanceof Objective.CrossEntropy ce) {
      SessionChecks.requireLabels(spec, ce.labels());
    } else if (objective instanceof Objective.OutputCotangent oc
        && (oc.cotangent().rank() != 2 || oc.cotangent().dim(1) != spec.outputs())) {
      throw new IllegalArgumentException("gradient request: cotangent shape " + Arrays.toString(oc.cotangent().shape())
          + "; allowed: [N, " + spec.outputs() + "]");
    }
    return this;
  }

  /** The gates to use: the request's, or all ones. */
  public BlockGates gatesFor(ModelSpec spec) {
    return gates != null ? gates : BlockGates.ones(spec);
  }

  /** The mask to use: the request's, or no masking. */
  public PathMask pathMaskFor(ModelSpec spec) {
    return pathMask != null ? pathMask : PathMask.none(spec);
  }

  public static Builder builder(HostTensor input, Objective objective) {
    return new Builder(input, objective);
  }

  /**
   * Builder: input and objective are required; by default BN in TRAIN mode, all gates 1, no mask, input gradient only.
   */
  public static final class Builder {
    private final HostTensor input;
    private final Objective objective;
    private BnMode bnMode = BnMode.TRAIN;
    private BlockGates gates;
    private PathMask mask;
    private boolean inputGradient = true;
    private boolean parameterGradients = false;

    private Builder(HostTensor input, Objective objective) {
      this.input = input;
      this.objective = objective;
    }

    public Builder optBnMode(BnMode m) {
      bnMode = m;
      return this;
    }

    public Builder optGates(BlockGates g) {
      gates = g;
      return this;
    }

    public Builder optPathMask(PathMask m) {
      mask = m;
      return this;
    }

    public Builder optInputGradient(boolean b) {
      inputGradient = b;
      return this;
    }

    public Builder optParameterGradients(boolean b) {
      parameterGradients = b;
      return this;
    }

    public GradientRequest build() {
      return new GradientRequest(input, objective, bnMode, gates, mask, inputGradient, parameterGradients);
    }
  }
}
