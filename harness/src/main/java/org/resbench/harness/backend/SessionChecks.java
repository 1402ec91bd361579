package org.resbench.harness.backend;

import java.util.Arrays;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/** Argument checks every backend applies the same way, so every backend rejects bad input with the same words. */
public final class SessionChecks {
  private SessionChecks() {}

  /** The input must be {@code [N, ...inputShape]} with N >= 1. */
  public static void requireInput(ModelSpec spec, HostTensor input) {
    int[] s = input.shape();
    int[] expected = spec.inputShape().dims();
    if (s.length != expected.length + 1 || s[0] < 1
        || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), expected)) {
      throw new IllegalArgumentException("input shape " + Arrays.toString(s) + " for '" + spec.name() + "'; allowed: [N, "
          + spec.inputShape().toString().replace('x', ',') + "] with N >= 1");
    }
  }

  /** Labels must lie in [0, outputs). */
  public static void requireLabels(ModelSpec spec, int[] labels) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= spec.outputs()) {
        throw new IllegalArgumentException("label " + labels[i] + " at position " + i + "; allowed: 0.."
            + (spec.outputs() - 1));
      }
    }
  }

  /** A state for {@code spec}: null or a state of another spec is rejected, naming both specs and hashes. */
  public static void requireStateFor(ModelSpec spec, ModelState state) {
    if (state == null) {
      throw new IllegalArgumentException("model state is required; allowed: a ModelState of spec '" + spec.name() + "'");
    }
    if (!state.spec().hash().equals(spec.hash())) {
      throw new IllegalArgumentException("model state is for spec '" + state.spec().name() + "' (hash "
          + state.spec().hash() + "); allowed: a state of '" + spec.name() + "' (hash " + spec.hash()
          + "), as weights only fit the spec they were made for (allowed: a state of the same spec)");
    }
  }

  /** A training state for {@code spec}: null or a state of another spec is rejected, naming both. */
  public static void requireTrainingStateFor(ModelSpec spec, TrainingState state) {
    if (state == null) {
      throw new IllegalArgumentException("training state is required; allowed: a TrainingState of spec '"
          + spec.name() + "'");
    }
    if (!state.spec().hash().equals(spec.hash())) {
      throw new IllegalArgumentException("training state is for spec '" + state.spec().name() + "' (hash "
          + state.spec().hash() + "); allowed: a state of '" + spec.name() + "' (hash " + spec.hash() + ")");
    }
  }

  /** The arguments of {@link Backend#open}: all present, and the state of the spec. */
  public static void requireOpenArgs(ModelSpec spec, ModelState state, SessionOptions options) {
    if (spec == null || state == null || options == null) {
      throw new IllegalArgumentException("open: spec, state and options are required");
    }
    requireStateFor(spec, state);
  }

  /** A training batch: input shape, one label per example, labels in range. */
  public static void requireBatch(ModelSpec spec, HostTensor input, int[] labels) {
    requireInput(spec, input);
    if (labels.length != input.dim(0)) {
      throw new IllegalArgumentException(labels.length + " labels for a batch of " + input.dim(0)
          + "; allowed: one label per example");
    }
    requireLabels(spec, labels);
  }
}
