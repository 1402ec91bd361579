package org.resbench.harness.conformance;

/**
 * What a conformance check or the parity experiment compares between a backend and the reference; each
 * quantity has one tolerance, stated with its reason in {@link Tolerances}. The rows of the parity table.
 */
public enum Quantity {
  /** The output {@code [N, outputs]} with BatchNorm in inference mode (running statistics). */
  LOGITS_INFERENCE("logits, BN inference"),
  /** The output with BatchNorm in training mode (batch statistics). */
  LOGITS_TRAIN("logits, BN train"),
  /** The objective: mean cross-entropy, or {@code sum(cotangent * output)}, or a training step's loss. */
  LOSS("loss"),
  /** d objective / d input. */
  INPUT_GRADIENT("input gradient"),
  /** d objective / d parameter, every trainable parameter. */
  PARAMETER_GRADIENT("parameter gradients"),
  /** The input gradient under a backward path mask. */
  MASKED_INPUT_GRADIENT("path-masked input gradient"),
  /** Parameter gradients under a backward path mask. */
  MASKED_PARAMETER_GRADIENT("path-masked parameter gradients"),
  /** BatchNorm running mean and variance after one training step. */
  RUNNING_STATISTICS("BN running statistics after 1 step"),
  /** How much each parameter moved in one SGD step ({@code w_1 - w_0}). */
  PARAMETER_UPDATE("parameter change after 1 SGD step"),
  /** How much each parameter moved in k SGD steps with identical batches and gates ({@code w_k - w_0}). */
  TRAJECTORY_PARAMETERS("parameter change after k SGD steps"),
  /** BatchNorm running statistics after k training steps. */
  TRAJECTORY_RUNNING_STATISTICS("BN running statistics after k steps");

  private final String label;

  Quantity(String label) {
    this.label = label;
  }

  /** A short human-readable name, e.g. for a table row. */
  public String label() {
    return label;
  }

  /** The tolerance for this quantity ({@link Tolerances#of}). */
  public Tolerance tolerance() {
    return Tolerances.of(this);
  }
}
