package org.resbench.backend.ort.onnx;

import org.resbench.harness.backend.BnMode;

/**
 * What one generated graph computes; everything that changes a graph's structure (weights and the SGD
 * hyper-parameters aside). Sessions are built once per plan and reused. Immutable; validated at construction.
 *
 * @param purpose forward only, objective and gradients, or a whole training step
 * @param bnMode BatchNorm statistics: batch (TRAIN) or running (INFERENCE)
 * @param gated whether the graph takes block gates as an input; without, every gate is 1 and the gate
 *     arithmetic (and a plain block's unused shortcut) is left out
 * @param masked whether the graph takes backward path masks (gradient graphs only)
 * @param objective what is differentiated (null for forward graphs)
 * @param inputGradient whether the gradient with respect to the input is an output
 * @param parameterGradients whether the gradients with respect to the parameters are outputs
 */
public record GraphPlan(Purpose purpose, BnMode bnMode, boolean gated, boolean masked, ObjectiveKind objective,
    boolean inputGradient, boolean parameterGradients) {

  /** What a graph is for. */
  public enum Purpose {
    /** Input to logits. */
    FORWARD,
    /** Input to logits, with the value at every probe point as an output too. */
    ACTIVATIONS,
    /** Objective, logits and the requested gradients; no state changes. */
    GRADIENTS,
    /**
     * Forward with batch statistics, mean cross-entropy, backward, SGD update and running-statistics update;
     * returns the new parameters, momentum buffers and statistics.
     */
    TRAIN_STEP
  }

  /** The scalar a gradient graph differentiates. */
  public enum ObjectiveKind {
    /** Mean softmax cross-entropy with int64 labels. */
    CROSS_ENTROPY,
    /** {@code sum(cotangent * logits)}. */
    OUTPUT_COTANGENT
  }

  public GraphPlan {
    if (purpose == null || bnMode == null) {
      throw new IllegalArgumentException("graph plan: purpose and bnMode are required");
    }
    switch (purpose) {
      case FORWARD, ACTIVATIONS -> {
        if (masked || objective != null || inputGradient || parameterGradients) {
          throw new IllegalArgumentException("graph plan: a " + purpose + " graph has no masks, objective or"
              + " gradients");
        }
      }
      case GRADIENTS -> {
        if (objective == null || !(inputGradient || parameterGradients)) {
          throw new IllegalArgumentException("graph plan: a GRADIENTS graph needs an objective and at least one"
              + " gradient");
        }
      }
      case TRAIN_STEP -> {
        if (bnMode != BnMode.TRAIN || objective != ObjectiveKind.CROSS_ENTROPY || masked || inputGradient
            || !parameterGradients) {
          throw new IllegalArgumentException("graph plan: a TRAIN_STEP graph has BN in TRAIN mode, cross-entropy,"
              + " parameter gradients only and no masks");
        }
      }
    }
  }

  /** A forward graph. */
  public static GraphPlan forward(BnMode bnMode, boolean gated) {
    return new GraphPlan(Purpose.FORWARD, bnMode, gated, false, null, false, false);
  }

  /** A forward graph that also outputs every probe point ({@link GraphNames#probe}). */
  public static GraphPlan activations(BnMode bnMode, boolean gated) {
    return new GraphPlan(Purpose.ACTIVATIONS, bnMode, gated, false, null, false, false);
  }

  /** A gradient graph. */
  public static GraphPlan gradients(BnMode bnMode, boolean gated, boolean masked, ObjectiveKind objective,
      boolean inputGradient, boolean parameterGradients) {
    return new GraphPlan(Purpose.GRADIENTS, bnMode, gated, masked, objective, inputGradient, parameterGradients);
  }

  /** A training-step graph. */
  public static GraphPlan trainStep(boolean gated) {
    return new GraphPlan(Purpose.TRAIN_STEP, BnMode.TRAIN, gated, false, ObjectiveKind.CROSS_ENTROPY, false, true);
  }

  /** Whether the graph needs a backward pass. */
  public boolean differentiates() {
    return purpose == Purpose.GRADIENTS || purpose == Purpose.TRAIN_STEP;
  }
}
