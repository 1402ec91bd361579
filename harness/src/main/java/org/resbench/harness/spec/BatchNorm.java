package org.resbench.harness.spec;

import java.util.List;

/**
 * Batch normalisation over channels: NCHW input (statistics over N, H, W) or NC input (over N).
 *
 * <p>Canonical semantics (every backend): training mode normalises with the batch mean and the biased
 * batch variance, {@code y = gamma * (x - mean) / sqrt(var + eps) + beta}, and a training step updates
 * {@code running = (1 - momentum) * running + momentum * batch}, using the unbiased batch variance for
 * the running variance (the PyTorch convention; ONNX and DJL use the opposite weighting and must map it).
 * Inference mode normalises with the running statistics.
 *
 * @param momentum the weight of the new batch statistic in the running average (0.1 by default)
 */
public record BatchNorm(String name, int channels, double eps, double momentum) implements Layer {

  public static final double DEFAULT_EPS = 1e-5;
  public static final double DEFAULT_MOMENTUM = 0.1;

  public BatchNorm {
    Layer.requirePositive("BatchNorm '" + name + "'", "channels", channels);
    if (!(eps > 0)) {
      throw new IllegalArgumentException("BatchNorm '" + name + "': eps=" + eps + "; allowed: > 0");
    }
    if (!(momentum > 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BatchNorm '" + name + "': momentum=" + momentum + "; allowed: (0, 1]");
    }
  }

  public static BatchNorm of(String name, int channels) {
    return new BatchNorm(name, channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
  }

  @Override
  public Shape outputShape(Shape in) {
    if ((in.rank() != 3 && in.rank() != 1) || in.dim(0) != channels) {
      throw new IllegalArgumentException("BatchNorm '" + name + "': input shape " + in
          + " does not match; allowed: " + channels + "xHxW or " + channels);
    }
    return in;
  }

  @Override
  public List<ParameterSpec> parameters() {
    Shape s = Shape.of(channels);
    return List.of(
        new ParameterSpec(name + ".gamma", s, ParameterSpec.Role.BN_SCALE, 1),
        new ParameterSpec(name + ".beta", s, ParameterSpec.Role.BN_SHIFT, 1),
        new ParameterSpec(name + ".running_mean", s, ParameterSpec.Role.BN_RUNNING_MEAN, 1),
        new ParameterSpec(name + ".running_var", s, ParameterSpec.Role.BN_RUNNING_VAR, 1));
  }

  @Override
  public String canonical() {
    return "bn(" + name + "," + channels + ",eps" + eps + ",m" + momentum + ")";
  }
}
