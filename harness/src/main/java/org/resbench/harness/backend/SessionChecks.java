package org.resbench.harness.backend;

import java.util.Arrays;
import java.util.List;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ProbePoint;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.tensor.HostTensor;

/**
 * Argument checks every backend applies the same way, so that the same bad call fails the same way on every backend,
 * with the same words ({@code field=value; allowed: ...}). Each {@link Session} method starts with
 * {@link SessionGuard#requireOpen()} and then its one check here ({@link #requireForward}, {@link #requireActivations},
 * {@link #requireGradients}, {@link #requireTrainStep}, {@link #requireStateFor}); the smaller checks they are made
 * of are public for other callers. Stateless and thread-safe.
 *
 * <p>Null is never a default: a null input, BatchNorm mode, gates, labels, probe-point list, request or state is
 * rejected with an {@link IllegalArgumentException} naming the argument (see {@link Session}). Only the optional parts
 * of a {@link GradientRequest} (its gates and path mask, documented defaults of its builder) may be absent.
 */
public final class SessionChecks {
  private SessionChecks() {}

  /**
   * Rejects a null {@code value} with {@code field=null; allowed: <allowed>}.
   *
   * @return {@code value}
   */
  public static <T> T requireNonNull(String field, T value, String allowed) {
    if (value == null) {
      throw new IllegalArgumentException(field + "=null; allowed: " + allowed);
    }
    return value;
  }

  /** The arguments of {@link Session#forward}: input of the spec's shape, a BatchNorm mode, one gate per block. */
  public static void requireForward(ModelSpec spec, HostTensor input, BnMode bnMode, BlockGates gates) {
    requireInput(spec, input);
    requireBnMode(bnMode);
    requireGates(spec, gates);
  }

  /** The arguments of {@link Session#activations}: as {@link #requireForward}, and probe points of the spec. */
  public static List<ProbePoint> requireActivations(ModelSpec spec, HostTensor input, BnMode bnMode,
      BlockGates gates, List<String> probePoints) {
    requireForward(spec, input, bnMode, gates);
    return requireProbePoints(spec, probePoints);
  }

  /** The argument of {@link Session#gradients}: a request that fits the spec ({@link GradientRequest#requireFor}). */
  public static GradientRequest requireGradients(ModelSpec spec, GradientRequest request) {
    return requireNonNull("request", request, "a GradientRequest (GradientRequest.builder(input, objective))")
        .requireFor(spec);
  }

  /**
   * The arguments of {@link Session#trainStep}: a batch with one label per example in range and large enough for
   * batch statistics ({@link #requireTrainingBatch}), one gate per block and a finite learning rate >= 0.
   */
  public static void requireTrainStep(ModelSpec spec, HostTensor input, int[] labels, BlockGates gates,
      double learningRate) {
    requireBatch(spec, input, labels);
    requireGates(spec, gates);
    requireLearningRate(learningRate);
    requireTrainingBatch(spec, input.dim(0));
  }

  /**
   * A training step's batch must give every BatchNorm layer at least 2 values per channel (N * H * W, or N on
   * {@code [N, C]} activations): the running statistics take the unbiased batch variance, undefined for one value.
   * Checked for every BatchNorm layer of the spec, whether or not its block's gate lets it run in this step.
   */
  public static void requireTrainingBatch(ModelSpec spec, int batch) {
    BatchNorm single = firstBatchNormWithOneValuePerExample(spec);
    if (single != null && batch < 2) {
      throw new IllegalArgumentException("input: a batch of " + batch + " gives BatchNorm '" + single.name()
          + "' of '" + spec.name() + "' 1 value per channel in a training step, whose unbiased variance is undefined;"
          + " allowed: at least 2 values per channel (for '" + spec.name() + "', allowed: a batch of at least 2)");
    }
  }

  /** The smallest batch a training step of {@code spec} accepts: 2 if a BatchNorm layer sees one value per example. */
  public static int minTrainingBatch(ModelSpec spec) {
    return firstBatchNormWithOneValuePerExample(spec) == null ? 1 : 2;
  }

  /** The first BatchNorm layer (stem, blocks, head) normalising one value per channel and example, or null. */
  private static BatchNorm firstBatchNormWithOneValuePerExample(ModelSpec spec) {
    Shape s = spec.inputShape();
    BatchNorm found = oneValuePerExample(spec.stem(), s);
    s = outputShape(spec.stem(), s);
    for (Block b : spec.blocks()) {
      for (BatchNorm bn : new BatchNorm[] {oneValuePerExample(b.branch(), s), oneValuePerExample(b.shortcut(), s),
          oneValuePerExample(b.post(), outputShape(b.branch(), s))}) {
        found = found != null ? found : bn;
      }
      s = b.outputShape(s);
    }
    return found != null ? found : oneValuePerExample(spec.head(), s);
  }

  private static BatchNorm oneValuePerExample(List<Layer> layers, Shape in) {
    Shape s = in;
    for (Layer l : layers) {
      if (l instanceof BatchNorm bn && (s.rank() != 3 || s.dim(1) * s.dim(2) == 1)) {
        return bn;
      }
      s = l.outputShape(s);
    }
    return null;
  }

  private static Shape outputShape(List<Layer> layers, Shape in) {
    Shape s = in;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  /** The input must be {@code [N, ...inputShape]} with N >= 1. */
  public static void requireInput(ModelSpec spec, HostTensor input) {
    String allowed = "[N, " + spec.inputShape().toString().replace('x', ',') + "] with N >= 1";
    requireNonNull("input", input, "a tensor " + allowed);
    int[] s = input.shape();
    int[] expected = spec.inputShape().dims();
    if (s.length != expected.length + 1 || s[0] < 1
        || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), expected)) {
      throw new IllegalArgumentException("input shape " + Arrays.toString(s) + " for '" + spec.name() + "'; allowed: "
          + allowed);
    }
  }

  /** A BatchNorm mode is required: there is no default. */
  public static BnMode requireBnMode(BnMode bnMode) {
    return requireNonNull("bnMode", bnMode, "TRAIN or INFERENCE");
  }

  /**
   * One gate per block of {@code spec}. Null is rejected rather than read as all ones: for a stochastic-depth net
   * the ordinary network is {@link BlockGates#inference} (g = p), not all ones, so only the caller can say which.
   */
  public static BlockGates requireGates(ModelSpec spec, BlockGates gates) {
    return requireNonNull("gates", gates, "one gate per block, e.g. BlockGates.ones(spec)").requireFor(spec);
  }

  /** Probe points of {@code spec}, in the order asked. */
  public static List<ProbePoint> requireProbePoints(ModelSpec spec, List<String> probePoints) {
    requireNonNull("probePoints", probePoints, "a list of probe point names, e.g. List.of(\"block0\")");
    return probePoints.stream().map(spec::probePoint).toList();
  }

  /** Labels must lie in [0, outputs). */
  public static void requireLabels(ModelSpec spec, int[] labels) {
    requireNonNull("labels", labels, "one label in 0.." + (spec.outputs() - 1) + " per example");
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= spec.outputs()) {
        throw new IllegalArgumentException("label " + labels[i] + " at position " + i + "; allowed: 0.."
            + (spec.outputs() - 1));
      }
    }
  }

  /** A training batch: input shape, one label per example, labels in range. */
  public static void requireBatch(ModelSpec spec, HostTensor input, int[] labels) {
    requireInput(spec, input);
    requireNonNull("labels", labels, "one label per example");
    if (labels.length != input.dim(0)) {
      throw new IllegalArgumentException(labels.length + " labels for a batch of " + input.dim(0)
          + "; allowed: one label per example");
    }
    requireLabels(spec, labels);
  }

  /** A learning rate must be finite and >= 0. */
  public static void requireLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate=" + learningRate + "; allowed: a finite value >= 0");
    }
  }

  /** A state for {@code spec}: null or a state of another spec is rejected, naming both specs and hashes. */
  public static void requireStateFor(ModelSpec spec, ModelState state) {
    requireNonNull("state", state, "a ModelState of spec '" + spec.name() + "'");
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
    requireNonNull("spec", spec, "a ModelSpec (e.g. SpecNames.build(name))");
    requireNonNull("options", options, "SessionOptions (e.g. SessionOptions.DEFAULT)");
    requireStateFor(spec, state);
  }
}
