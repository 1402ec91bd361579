package org.resbench.backend.ort.onnx;

/**
 * The names of the inputs and outputs of generated graphs: the contract between {@link SpecGraphs} and the
 * code that feeds and reads them. Parameters and BatchNorm statistics are inputs (or initializers) under their
 * spec names, e.g. {@code block3.conv1.weight}. Constants and pure functions only; thread-safe.
 */
public final class GraphNames {
  private GraphNames() {}

  /** Input: the batch, {@code [N, ...inputShape]} float. */
  public static final String INPUT = "input";
  /** Input: block gates, {@code [numBlocks]} float. */
  public static final String GATES = "gates";
  /** Input: backward path-mask factors on each block's branch, {@code [numBlocks]} float. */
  public static final String MASK_BRANCH = "mask_branch";
  /** Input: backward path-mask factors on each block's shortcut, {@code [numBlocks]} float. */
  public static final String MASK_SHORTCUT = "mask_shortcut";
  /** Input: class labels, {@code [N]} int64. */
  public static final String LABELS = "labels";
  /** Input: the output cotangent, {@code [N, outputs]} float. */
  public static final String COTANGENT = "cotangent";
  /** Input: the learning rate, a float scalar. */
  public static final String LEARNING_RATE = "learning_rate";
  /** Output: the logits (or raw outputs), {@code [N, outputs]}. */
  public static final String LOGITS = "logits";
  /** Output: the objective (mean cross-entropy or {@code sum(cotangent * logits)}), a float scalar. */
  public static final String OBJECTIVE = "objective";
  /** Output: d objective / d input. */
  public static final String INPUT_GRADIENT = "grad/input";

  /** Output: the value at a probe point ({@code org.resbench.harness.spec.ProbePoint}), e.g. {@code probe/block0}. */
  public static String probe(String probePoint) {
    return "probe/" + probePoint;
  }

  /** Output: d objective / d parameter. */
  public static String gradient(String parameter) {
    return "grad/" + parameter;
  }

  /** Input: a parameter's momentum buffer (training-step graphs). */
  public static String velocity(String parameter) {
    return "velocity/" + parameter;
  }

  /** Output: a parameter's momentum buffer after the step. */
  public static String newVelocity(String parameter) {
    return "new_velocity/" + parameter;
  }

  /** Output: a parameter or BatchNorm statistic after the step. */
  public static String updated(String tensor) {
    return "new/" + tensor;
  }
}
