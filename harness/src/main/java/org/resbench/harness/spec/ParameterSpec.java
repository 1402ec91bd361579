package org.resbench.harness.spec;

/**
 * One named tensor a model owns: a trainable parameter or a BatchNorm running statistic. Immutable.
 *
 * @param name unique within the model, e.g. {@code block3.conv1.weight}
 * @param shape the tensor's shape
 * @param role what the tensor is, which decides its initialisation and whether SGD updates it
 * @param fanIn inputs feeding one output unit (for weights and biases), used by He and LeCun scaling
 */
public record ParameterSpec(String name, Shape shape, Role role, int fanIn) {

  /** What a model tensor is. */
  public enum Role {
    CONV_WEIGHT(true),
    LINEAR_WEIGHT(true),
    BIAS(true),
    BN_SCALE(true),
    BN_SHIFT(true),
    BN_RUNNING_MEAN(false),
    BN_RUNNING_VAR(false);

    private final boolean trainable;

    Role(boolean trainable) {
      this.trainable = trainable;
    }

    /** True for what SGD updates; false for the BatchNorm running statistics (buffers). */
    public boolean trainable() {
      return trainable;
    }
  }

  public ParameterSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("parameter name: must not be blank");
    }
    if (fanIn <= 0) {
      throw new IllegalArgumentException("parameter '" + name + "': fanIn=" + fanIn + "; allowed: positive");
    }
  }

  public boolean trainable() {
    return role.trainable();
  }
}
