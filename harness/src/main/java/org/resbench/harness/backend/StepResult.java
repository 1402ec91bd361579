package org.resbench.harness.backend;

import org.resbench.harness.tensor.HostTensor;

/**
 * What one {@link Session#trainStep} returns: the loss before the update and the logits of that forward
 * pass (BN in training mode), so the training error can be counted without another pass.
 */
public record StepResult(double loss, HostTensor logits) {}
