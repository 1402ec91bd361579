package org.resbench.harness.backend;

/** What a backend can do; reported by {@link Backend#probe()} from real probes, never assumed. */
public enum Capability {
  /** {@link Session#forward}. */
  INFERENCE,
  /** {@link Session#gradients} with {@code inputGradient}. */
  INPUT_GRADIENTS,
  /** {@link Session#gradients} with {@code parameterGradients}. */
  PARAMETER_GRADIENTS,
  /** {@link Session#trainStep}. */
  TRAINING,
  /** Backward path masks in {@link Session#gradients}. */
  PATH_MASKS,
  /** {@link Session#activations}: values at probe points inside the model. */
  ACTIVATIONS
}
