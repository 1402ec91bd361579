package org.resbench.harness.backend;

/** Which statistics BatchNorm layers normalise with in a forward pass. */
public enum BnMode {
  /** The batch's mean and biased variance (the running statistics are not changed by forward passes). */
  TRAIN,
  /** The running statistics. */
  INFERENCE
}
