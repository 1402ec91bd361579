package org.resbench.harness.data;

import org.resbench.harness.tensor.HostTensor;

/**
 * A mini-batch: contiguous NCHW (or NC) input that a backend takes as is, and one label per example.
 * The batch owns its arrays.
 */
public record Batch(HostTensor input, int[] labels) {
  public Batch {
    if (labels.length != input.dim(0)) {
      throw new IllegalArgumentException("batch: " + labels.length + " labels for " + input.dim(0) + " examples");
    }
  }

  public int size() {
    return labels.length;
  }
}
