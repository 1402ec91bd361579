package org.resbench.backend.ort.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import org.resbench.backend.ort.onnx.GraphBuilder.ElemType;
import org.resbench.backend.ort.onnx.GraphPlan.ObjectiveKind;
import org.resbench.backend.ort.onnx.GraphPlan.Purpose;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.ProbePoint;
import org.resbench.harness.spec.Shape;

/**
 * Translates a {@link ModelSpec} into ONNX graphs with standard operators only: forward graphs, and gradient and
 * training-step graphs whose backward pass is generated here by reverse-mode differentiation over the spec.
 *
 * <p>The forward pass records a tape (one record per layer application, nested per block); the backward pass
 * walks it in reverse and emits each layer's vector-Jacobian product in the formulation measured fastest on
 * ONNX Runtime's CPU provider (measured at batch 128 on two cores against the alternatives: ConvTranspose at
 * stride 1, a zero-dilated dY, Einsum and convolutions over transposed tensors were 1.8 to 29 times slower): the
 * stride-1 input gradient of a convolution is a convolution
 * of dY with the flipped, channel-swapped weights; other strides use ConvTranspose; the weight gradient is an
 * im2col (constant one-hot grouped convolutions: one k x k set, or a 1 x k set of the input and a k x 1 set of dY
 * at stride 1) followed by a batched MatMul and a ReduceSum over the batch; BatchNorm, ReLU, pooling, Gemm and
 * cross-entropy use closed forms. Batch statistics are computed with plain operators (ONNX Runtime's
 * BatchNormalization in training mode writes into its running-statistic inputs). Semantics are those of
 * {@code org.resbench.harness.backend.Session}: gates {@code y = post(S(x) + g F(x))} (residual) and
 * {@code y = post((1 - g) S(x) + g F(x))} (plain); path masks scale the gradient entering a block's branch and
 * shortcut; a training step applies the canonical SGD update and the canonical running-statistics update
 * (PyTorch's momentum convention with the unbiased batch variance, computed explicitly rather than with ONNX's
 * opposite convention), leaving the statistics of BatchNorm layers in the branch of a block whose gate is 0
 * unchanged.
 *
 * <p>A {@link GraphTarget} changes how, never what, a graph computes: for ONNX Runtime's CPU provider, graphs with
 * the weights as inputs keep spatial activations in its channel-blocked layout ({@link NchwcLayout}; BatchNorm,
 * residual merge and ReLU then share one pass, and a block's input gradient adds the shortcut's inside the branch's
 * first dX convolution), and training steps form weight gradients over batch slices.
 *
 * <p>The work is split by concern, the parts sharing one {@link GraphContext} per graph: {@link ForwardPass} (the
 * forward emission and its {@link Tape}), {@link Objectives}, {@link BackwardPass} (blocks, gates, path masks and the
 * small rules) with {@link ConvBackward}, {@link BatchNormBackward} and {@link SubsamplePadBackward}, the
 * weight-gradient strategies in {@link WeightGradients} (im2col, separable one-hot taps, batch slicing), and
 * {@link TrainingStep} (SGD and running statistics). This class declares the graph's interface and fixes the order of
 * the parts.
 *
 * <p>Stateless and thread-safe; each call builds a new graph.
 */
public final class SpecGraphs {
  private SpecGraphs() {}

  /**
   * The per-image patch size (bytes) from which a training step forms a layer's weight gradient over batch slices
   * ({@link GraphTarget}): 2 MiB of patches at batch 128, beyond a core's L2. ResNet-20's layers on 32x32 images are
   * all above it (48 to 192 KiB); the conformance suite's 8x8 ones below.
   */
  static final long MIN_SLICED_PATCH_BYTES = 16 * 1024;

  /**
   * Builds the graph of {@code plan} with standard ONNX operators only (plain NCHW activations): what the exporter
   * writes and any runtime loads.
   *
   * @param inlineWeights when not null, parameters and statistics become initializers holding these values (ONNX
   *     Runtime's fast blocked convolutions need constant weights); when null they are graph inputs
   * @param gateDefaults when not null (gated plans only), the gates input gets these default values, so that
   *     tools feeding only {@link GraphNames#INPUT} run the graph
   * @param sgd the optimiser of a training-step graph (ignored otherwise)
   * @param producerVersion the resbench version written into the model
   * @param metadata {@code metadata_props} of the model
   */
  public static OnnxMl.ModelProto build(ModelSpec spec, GraphPlan plan, ModelState inlineWeights,
      float[] gateDefaults, SgdConfig sgd, String producerVersion, Map<String, String> metadata) {
    return build(spec, plan, inlineWeights, gateDefaults, sgd, GraphTarget.PORTABLE, producerVersion, metadata);
  }

  /**
   * Builds the graph of {@code plan} specialised for {@code target}: with {@link GraphTarget#ortCpu}, spatial
   * activations are channel-blocked when {@link #usesNchwc} says so (the graph then runs only on ONNX Runtime's CPU
   * provider) and weight gradients are summed over batch slices.
   */
  public static OnnxMl.ModelProto build(ModelSpec spec, GraphPlan plan, ModelState inlineWeights,
      float[] gateDefaults, SgdConfig sgd, GraphTarget target, String producerVersion, Map<String, String> metadata) {
    if (inlineWeights != null && !inlineWeights.spec().hash().equals(spec.hash())) {
      throw new IllegalArgumentException("weights are for spec '" + inlineWeights.spec().name() + "' ("
          + inlineWeights.spec().hash() + "), not '" + spec.name() + "' (" + spec.hash() + ")");
    }
    if (gateDefaults != null && (!plan.gated() || gateDefaults.length != spec.blocks().size())) {
      throw new IllegalArgumentException("gate defaults: " + gateDefaults.length + " values for a plan with gated="
          + plan.gated() + "; allowed: one per block (" + spec.blocks().size() + ") on a gated plan");
    }
    if (plan.purpose() == Purpose.TRAIN_STEP && sgd == null) {
      throw new IllegalArgumentException("a training-step graph needs an SGD configuration");
    }
    GraphContext ctx = new GraphContext(spec, plan,
        usesNchwc(spec, plan, inlineWeights != null, target) ? target.nchwcBlock() : 0,
        plan.purpose() == Purpose.TRAIN_STEP ? target.weightGradientChunks() : 1, target.conditionalBlocks());
    emit(ctx, inlineWeights, gateDefaults, sgd);
    return ctx.g.build(producerVersion, metadata, describe(spec, plan));
  }

  /**
   * Whether a graph of {@code plan} for {@code target} keeps its spatial activations in ONNX Runtime's
   * channel-blocked layout ({@link NchwcLayout}): when the target has a block size, the weights are inputs (with
   * initializer weights ONNX Runtime blocks the convolutions itself and also folds BatchNorm into them), the graph
   * does not report activations (which are wanted in NCHW), and every layer of {@code spec} can run blocked.
   */
  public static boolean usesNchwc(ModelSpec spec, GraphPlan plan, boolean inlineWeights, GraphTarget target) {
    return target.nchwcBlock() > 0 && !inlineWeights && plan.purpose() != Purpose.ACTIVATIONS
        && NchwcLayout.supports(spec, target.nchwcBlock());
  }

  private static String describe(ModelSpec spec, GraphPlan plan) {
    StringBuilder sb = new StringBuilder("resbench ").append(plan.purpose().name().toLowerCase(java.util.Locale.ROOT))
        .append(" graph of ").append(spec.name()).append(" (spec hash ").append(spec.hash())
        .append("), BatchNorm with ").append(plan.bnMode() == BnMode.TRAIN ? "batch" : "running")
        .append(" statistics. Input '").append(GraphNames.INPUT).append("' [N, ")
        .append(spec.inputShape().toString().replace("x", ", ")).append("] float32 NCHW; output '")
        .append(GraphNames.LOGITS).append("' [N, ").append(spec.outputs()).append("].");
    if (plan.gated()) {
      sb.append(" Input '").append(GraphNames.GATES).append("' [").append(spec.blocks().size())
          .append("]: one gate per block; residual block y = post(S(x) + g*F(x)), plain block"
              + " y = post((1-g)*S(x) + g*F(x)); g = 1 is the ordinary network, g = 0 removes the block's branch,"
              + " stochastic depth infers with g = survival probability.");
    }
    return sb.toString();
  }

  /**
   * The graph's interface and the order of its parts: inputs, forward pass, logits (and probe) outputs, objective,
   * backward pass, gradient outputs, training-step updates. Node order decides the generated names, so it is fixed
   * here.
   */
  private static void emit(GraphContext ctx, ModelState inline, float[] gateDefaults, SgdConfig sgd) {
    GraphBuilder g = ctx.g;
    GraphPlan plan = ctx.plan;
    ModelSpec spec = ctx.spec;
    declareInputs(ctx, inline, gateDefaults);
    ForwardPass.Result forward = new ForwardPass(ctx).run();
    g.output(GraphNames.LOGITS, forward.logits(), ElemType.FLOAT, -1, spec.outputs());
    if (plan.purpose() == Purpose.ACTIVATIONS) {
      for (ProbePoint pp : spec.probePoints()) {
        g.output(GraphNames.probe(pp.name()), forward.probes().get(pp.name()), ElemType.FLOAT, batchShape(pp.shape()));
      }
    }
    if (!plan.differentiates()) {
      return;
    }
    String dLogits = new Objectives(ctx).emit(forward.logits());
    String dx = new BackwardPass(ctx).run(forward, dLogits);
    if (plan.inputGradient()) {
      g.output(GraphNames.INPUT_GRADIENT, dx, ElemType.FLOAT, batchShape(spec.inputShape()));
    }
    if (plan.purpose() == Purpose.GRADIENTS && plan.parameterGradients()) {
      for (ParameterSpec p : spec.trainableParameters()) {
        g.output(GraphNames.gradient(p.name()), ctx.requireGrad(p), ElemType.FLOAT, dims(p.shape()));
      }
    }
    if (plan.purpose() == Purpose.TRAIN_STEP) {
      TrainingStep step = new TrainingStep(ctx, sgd);
      step.sgdUpdate();
      step.statisticsUpdate(forward.stats());
    }
  }

  /**
   * The inputs (and initializers) of a graph of the context's plan: the batch, gates, path masks, labels or
   * cotangent, learning rate, parameters and statistics (or initializers holding {@code inline}), momentum buffers.
   */
  private static void declareInputs(GraphContext ctx, ModelState inline, float[] gateDefaults) {
    GraphBuilder g = ctx.g;
    GraphPlan plan = ctx.plan;
    ModelSpec spec = ctx.spec;
    g.input(GraphNames.INPUT, ElemType.FLOAT, batchShape(spec.inputShape()));
    int nb = spec.blocks().size();
    if (plan.gated()) {
      if (gateDefaults != null) {
        g.inputWithDefault(GraphNames.GATES, gateDefaults.clone(), nb);
      } else {
        g.input(GraphNames.GATES, ElemType.FLOAT, nb);
      }
    }
    if (plan.masked()) {
      g.input(GraphNames.MASK_BRANCH, ElemType.FLOAT, nb);
      g.input(GraphNames.MASK_SHORTCUT, ElemType.FLOAT, nb);
    }
    if (plan.objective() == ObjectiveKind.CROSS_ENTROPY) {
      g.input(GraphNames.LABELS, ElemType.INT64, -1);
    } else if (plan.objective() == ObjectiveKind.OUTPUT_COTANGENT) {
      g.input(GraphNames.COTANGENT, ElemType.FLOAT, -1, spec.outputs());
    }
    if (plan.purpose() == Purpose.TRAIN_STEP) {
      g.input(GraphNames.LEARNING_RATE, ElemType.FLOAT);
    }
    for (ParameterSpec p : spec.parameters()) {
      if (inline != null) {
        g.initializer(p.name(), inline.get(p.name()).data(), dims(p.shape()));
      } else {
        g.input(p.name(), ElemType.FLOAT, dims(p.shape()));
      }
    }
    if (plan.purpose() == Purpose.TRAIN_STEP) {
      for (ParameterSpec p : spec.trainableParameters()) {
        g.input(GraphNames.velocity(p.name()), ElemType.FLOAT, dims(p.shape()));
      }
    }
  }

  // ---- helpers ----

  /** The per-example shape after applying {@code layers} to {@code in}. */
  public static Shape shapeAfter(List<Layer> layers, Shape in) {
    Shape s = in;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  static long[] dims(Shape s) {
    long[] d = new long[s.rank()];
    for (int i = 0; i < d.length; i++) {
      d[i] = s.dim(i);
    }
    return d;
  }

  static long[] batchShape(Shape s) {
    long[] d = s.withBatch(1);
    d[0] = -1;
    return d;
  }
}
