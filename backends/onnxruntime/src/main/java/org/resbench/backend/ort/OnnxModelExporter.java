package org.resbench.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.resbench.backend.ort.onnx.GraphBuilder;
import org.resbench.backend.ort.onnx.GraphNames;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.SpecGraphs;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.ModelExporter;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;

/**
 * Exports a spec with its weights as an ONNX inference model (opset {@value GraphBuilder#OPSET}): BatchNorm with
 * the running statistics, weights as initializers, input {@code input [N, ...]}, output {@code logits [N, K]}.
 *
 * <p>Gates: the model has a second input {@code gates [numBlocks]} that also has an initializer of the same name
 * holding the inference gates (1 per block, or stochastic depth's survival probabilities). Tools that feed only
 * {@code input} run the ordinary inference network; a caller may feed {@code gates} to lesion blocks (0) or
 * scale them. ONNX Runtime lists such an input among the overridable initializers rather than the required
 * inputs (and logs a warning that it is not a constant); its Java API, and so DJL, feeds required inputs only and
 * therefore always runs the default gates, while Python's onnxruntime can override them.
 *
 * <p>Needs no native code (the model is built with protobuf classes). Stateless and thread-safe.
 */
public final class OnnxModelExporter implements ModelExporter {
  /** Metadata key of the exported model's gate convention. */
  public static final String GATES_KEY = "resbench.gates";

  @Override
  public String format() {
    return "onnx";
  }

  @Override
  public String fileExtension() {
    return ".onnx";
  }

  @Override
  public void export(ModelSpec spec, ModelState state, Path out, Map<String, String> metadata) {
    export(spec, state, BnMode.INFERENCE, out, metadata);
  }

  /**
   * {@inheritDoc} TRAIN writes the forward graph with batch statistics (plain operators, as the ONNX Runtime
   * backend's own training-mode forward), with the same inputs, output and gate convention.
   */
  @Override
  public void export(ModelSpec spec, ModelState state, BnMode bnMode, Path out, Map<String, String> metadata) {
    if (spec == null || state == null || bnMode == null || out == null || metadata == null) {
      throw new IllegalArgumentException("export: spec, state, bnMode, out and metadata are required");
    }
    float[] gates = BlockGates.inference(spec).values();
    Map<String, String> props = new LinkedHashMap<>(metadata);
    props.putIfAbsent("resbench.spec.name", spec.name());
    props.putIfAbsent("resbench.spec.hash", spec.hash());
    props.put(GATES_KEY, "input '" + GraphNames.GATES + "' [" + gates.length + "], default "
        + Arrays.toString(gates).replace(" ", "") + " (inference gates); residual block y = post(S(x) + g*F(x)),"
        + " plain block y = post((1-g)*S(x) + g*F(x)); 0 removes a block's branch");
    props.put("resbench.inputs", GraphNames.INPUT + " [N," + spec.inputShape().toString().replace('x', ',')
        + "] float32 NCHW");
    props.put("resbench.outputs", GraphNames.LOGITS + " [N," + spec.outputs() + "]");
    String version = metadata.getOrDefault("resbench.version", OrtBackend.producerVersion());
    props.put("resbench.batchnorm", bnMode == BnMode.INFERENCE ? "running statistics (inference)"
        : "batch statistics (training-mode forward; running statistics not included)");
    byte[] model = withoutUnusedInitializers(SpecGraphs.build(spec, GraphPlan.forward(bnMode, true), state, gates,
        null, version, props)).toByteArray();
    AtomicFiles.write(out, model);
  }

  /**
   * The model without initializers that no node reads and no output names (a training-mode forward does not read
   * the running statistics): ONNX Runtime would drop them itself, with a warning per tensor on every load.
   */
  static OnnxMl.ModelProto withoutUnusedInitializers(OnnxMl.ModelProto model) {
    OnnxMl.GraphProto g = model.getGraph();
    Set<String> used = new HashSet<>();
    g.getNodeList().forEach(n -> used.addAll(n.getInputList()));
    g.getOutputList().forEach(o -> used.add(o.getName()));
    if (g.getInitializerList().stream().allMatch(t -> used.contains(t.getName()))) {
      return model;
    }
    Set<String> dropped = new HashSet<>();
    OnnxMl.GraphProto.Builder b = g.toBuilder().clearInitializer().clearInput();
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      if (used.contains(t.getName())) {
        b.addInitializer(t);
      } else {
        dropped.add(t.getName());
      }
    }
    // An input with a default (an initializer of the same name) goes with its default when nothing reads it.
    g.getInputList().stream().filter(i -> !dropped.contains(i.getName())).forEach(b::addInput);
    return model.toBuilder().setGraph(b).build();
  }
}
