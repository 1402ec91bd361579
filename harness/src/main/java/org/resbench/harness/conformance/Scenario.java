package org.resbench.harness.conformance;

import java.util.EnumSet;
import java.util.Set;
import org.resbench.harness.backend.Capability;

/**
 * One situation in which a backend is run side by side with the reference (see {@link ConformanceRunner}
 * for exactly what each does). The conformance suite has one test per scenario and spec; the parity
 * experiment reports each scenario's {@link Comparison}s.
 */
public enum Scenario {
  /** Logits with BatchNorm in inference mode and inference gates (p_b for stochastic depth). */
  FORWARD_INFERENCE("forward, BN inference, inference gates", false, EnumSet.of(Capability.INFERENCE)),
  /** Logits with BatchNorm in training mode, all gates 1; running statistics must stay unchanged. */
  FORWARD_TRAIN("forward, BN train (running statistics unchanged)", false, EnumSet.of(Capability.INFERENCE)),
  /** Mean cross-entropy, logits, input and parameter gradients, BatchNorm in training mode. */
  GRADIENTS_CROSS_ENTROPY("cross-entropy gradients, BN train", true, EnumSet.noneOf(Capability.class)),
  /** The same with BatchNorm in inference mode (statistics constant) and inference gates. */
  GRADIENTS_BN_INFERENCE("gradients, BN inference, inference gates", false, EnumSet.noneOf(Capability.class)),
  /** The vector-Jacobian product with a random output cotangent, BatchNorm in training mode. */
  GRADIENTS_OUTPUT_COTANGENT("output-cotangent gradients, BN train", false, EnumSet.noneOf(Capability.class)),
  /** Gradients under two backward path masks: a random path with one fractional block, and the all-shortcut path. */
  GRADIENTS_PATH_MASKED("path-masked gradients", false, EnumSet.of(Capability.PATH_MASKS)),
  /**
   * Block 1 lesioned (gate 0; a plain block becomes its shortcut): logits in BatchNorm inference mode, and
   * loss, logits and gradients in training mode where the backend has gradients.
   */
  GATES_LESION("block 1 lesioned", false, EnumSet.of(Capability.INFERENCE)),
  /** The same with a fractional gate of 0.4 on block 0. */
  GATES_FRACTIONAL("gate 0.4 on block 0", false, EnumSet.of(Capability.INFERENCE)),
  /** One training step: loss, logits, parameter change, running statistics. */
  TRAIN_STEP("one training step", true, EnumSet.of(Capability.TRAINING)),
  /** One training step with block 1's gate exactly 0: its branch's running statistics must not change. */
  TRAIN_STEP_ZERO_GATE("one training step with block 1 gated to 0", true, EnumSet.of(Capability.TRAINING)),
  /**
   * k steps on identical batches, with stochastic-depth gates drawn by {@code BlockGates.sample} for nets
   * that have them and a learning rate that changes per step: losses, parameter change, running statistics.
   */
  TRAIN_K_STEPS("k training steps, momentum and weight decay", true, EnumSet.of(Capability.TRAINING)),
  /** The same with Nesterov momentum. */
  TRAIN_K_STEPS_NESTEROV("k training steps, Nesterov", true, EnumSet.of(Capability.TRAINING)),
  /**
   * k steps, then {@code loadState} of the initial state and one more step: equal to a fresh first step (momentum
   * reset).
   */
  TRAIN_AFTER_LOAD_STATE("loadState resets momentum", true, EnumSet.of(Capability.TRAINING)),
  /** Values at every probe point, BatchNorm in training mode (all gates 1) and inference mode (inference gates). */
  ACTIVATIONS("activations at every probe point, both BN modes", false, EnumSet.of(Capability.ACTIVATIONS));

  private final String description;
  private final boolean classifiersOnly;
  private final EnumSet<Capability> required;

  Scenario(String description, boolean classifiersOnly, EnumSet<Capability> required) {
    this.description = description;
    this.classifiersOnly = classifiersOnly;
    this.required = required;
  }

  public String description() {
    return description;
  }

  /** Whether the scenario needs cross-entropy labels, so only nets with more than one output take part. */
  public boolean classifiersOnly() {
    return classifiersOnly;
  }

  /**
   * Capabilities the backend must declare. Gradient scenarios also need {@link Capability#INPUT_GRADIENTS} or
   * {@link Capability#PARAMETER_GRADIENTS} and compare whichever of the two the backend declares.
   */
  public Set<Capability> required() {
    return EnumSet.copyOf(required);
  }

  /** Whether this is a gradient scenario (see {@link #required()}). */
  public boolean needsGradients() {
    return name().startsWith("GRADIENTS_");
  }
}
