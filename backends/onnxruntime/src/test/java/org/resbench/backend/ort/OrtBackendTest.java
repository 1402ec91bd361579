package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.backend.ort.onnx.GraphNames;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.ModelExporter;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/** The backends' contract beyond numerics: discovery, probes, lifecycle, argument checks, export, the bare loop. */
class OrtBackendTest {
  private final ModelSpec spec = SpecNames.build("resnet-8-sd-in3x8x8");
  private final ModelState state = Initializer.initialize(spec, 3);

  @Test
  void bothBackendsAreDiscoveredAndOrtCpuIsAvailable() {
    Backends all = Backends.discover();
    assertTrue(all.names().containsAll(List.of("ort-cpu", "ort-cuda")), all.names().toString());
    Capabilities c = all.get("ort-cpu").probe();
    assertTrue(c.available(), String.valueOf(c.unavailableReason()));
    assertEquals("ONNX Runtime", c.engine());
    // The version, then which CPU graphs run (recorded in every run's provenance).
    assertTrue(c.engineVersion().matches("1\\.28\\.0, (NCHWc-\\d+ CPU graphs|standard-operator graphs)"),
        c.engineVersion());
    for (Capability cap : Capability.values()) {
      assertTrue(c.can(cap), cap.name());
    }
  }

  @Test
  void ortCudaSaysWhatIsMissingAndFailsWhenChosen() {
    Backend cuda = new OrtCudaBackend();
    Capabilities c = cuda.probe();
    Assumptions.assumeFalse(c.available(), "a usable CUDA device is present, so the failure mode cannot be shown");
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      // The default build: the CPU-only ONNX Runtime. The probe must say so rather than pretend.
      assertTrue(c.unavailableReason().startsWith(OrtCudaBackend.CPU_ONLY_BUILD), c.unavailableReason());
    } else {
      // The -Pcuda build on a machine without a usable GPU: ONNX Runtime's own message and what is needed.
      assertTrue(c.unavailableReason().contains("CUDA cannot be used here"), c.unavailableReason());
    }
    assertTrue(c.unavailableReason().contains("CUDA 12") && c.unavailableReason().contains("cuDNN 9"));
    BackendException e = assertThrows(BackendException.class,
        () -> cuda.open(spec, state, SessionOptions.DEFAULT));
    assertEquals("ort-cuda", e.backend());
    assertEquals("ort-cuda: " + c.unavailableReason(), e.getMessage());
    BackendException bare = assertThrows(BackendException.class,
        () -> cuda.bareInference(spec, state, OrtTesting.input(spec, 2, 1), SessionOptions.DEFAULT));
    assertEquals(e.getMessage(), bare.getMessage());
  }

  @Test
  void sessionsAreBuiltOncePerGraphAndStateStaysNative() {
    try (OrtModelSession s = (OrtModelSession) new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT)) {
      HostTensor x = OrtTesting.input(spec, 6, 1);
      int[] y = OrtTesting.labels(6, spec.outputs(), 2);
      s.trainStep(x, y, BlockGates.ones(spec), 0.1);
      s.trainStep(OrtTesting.input(spec, 9, 2), OrtTesting.labels(9, spec.outputs(), 3), BlockGates.ones(spec), 0.1);
      assertEquals(1, s.builtSessions(), "one training graph serves batches of 5 to 16");
      s.trainStep(OrtTesting.input(spec, 17, 4), OrtTesting.labels(17, spec.outputs(), 5), BlockGates.ones(spec), 0.1);
      s.trainStep(OrtTesting.input(spec, 20, 4), OrtTesting.labels(20, spec.outputs(), 5), BlockGates.ones(spec), 0.1);
      assertEquals(2, s.builtSessions(), "one every larger batch (weight gradients over batch slices)");
      s.trainStep(OrtTesting.input(spec, 2, 4), OrtTesting.labels(2, spec.outputs(), 5), BlockGates.ones(spec), 0.1);
      s.trainStep(OrtTesting.input(spec, 4, 4), OrtTesting.labels(4, spec.outputs(), 5), BlockGates.ones(spec), 0.1);
      assertEquals(3, s.builtSessions(), "and one (standard operators) every batch of up to 4");
      s.trainStep(x, y, BlockGates.lesion(BlockGates.ones(spec), 1), 0.1);
      assertEquals(3, s.builtSessions(), "gates or not: the same (conditional) training graph");
      s.forward(x, BnMode.INFERENCE, BlockGates.inference(spec));
      s.forward(x, BnMode.INFERENCE, BlockGates.inference(spec));
      assertEquals(4, s.builtSessions());
      assertTrue(s.liveNames().contains("velocity/block0.conv1.weight"));
      assertEquals(spec.parameters().size() + spec.trainableParameters().size(), s.liveNames().size());
    }
  }

  @Test
  void forwardInTrainModeLeavesTheStateUnchanged() {
    try (Session s = new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT)) {
      HostTensor x = OrtTesting.input(spec, 4, 1);
      HostTensor before = s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec));
      s.forward(OrtTesting.input(spec, 5, 9), BnMode.TRAIN, BlockGates.of(1f, 0.5f, 0f));
      s.gradients(GradientRequest.builder(x, Objective.crossEntropy(new int[] {0, 1, 2, 3})).optBnMode(BnMode.TRAIN)
          .optParameterGradients(true).build());
      assertArrayEquals(before.data(), s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec)).data());
      ModelState read = s.readState();
      for (String t : state.tensors().keySet()) {
        assertArrayEquals(state.get(t).data(), read.get(t).data(), t);
      }
    }
  }

  @Test
  void loadStateReplacesWeightsAndInferenceFollows() {
    try (Session s = new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT)) {
      HostTensor x = OrtTesting.input(spec, 3, 1);
      HostTensor a = s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec));
      ModelState other = Initializer.initialize(spec, 4);
      s.loadState(other);
      HostTensor b = s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec));
      assertFalse(java.util.Arrays.equals(a.data(), b.data()), "the inference graph is rebuilt with the new weights");
      s.loadState(state);
      assertArrayEquals(a.data(), s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec)).data());
      ModelState wrong = Initializer.initialize(SpecNames.build("resnet-8-in3x8x8"), 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadState(wrong));
      assertTrue(e.getMessage().contains("allowed: a state of the same spec"), e.getMessage());
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFail() {
    Session s = new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT);
    HostTensor x = OrtTesting.input(spec, 2, 1);
    s.trainStep(x, new int[] {0, 1}, BlockGates.ones(spec), 0.1);
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec)));
    assertThrows(IllegalStateException.class, () -> s.trainStep(x, new int[] {0, 1}, BlockGates.ones(spec), 0.1));
    assertThrows(IllegalStateException.class, s::readState);
    assertThrows(IllegalStateException.class, () -> s.loadState(state));
    assertThrows(IllegalStateException.class, s::spec);
  }

  @Test
  void badArgumentsAreRejectedWithTheFieldAndWhatIsAllowed() {
    try (Session s = new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT)) {
      HostTensor x = OrtTesting.input(spec, 2, 1);
      IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
          () -> s.forward(HostTensor.zeros(2, 3, 9, 9), BnMode.INFERENCE, BlockGates.ones(spec)));
      assertTrue(shape.getMessage().contains("input shape [2, 3, 9, 9]"), shape.getMessage());
      assertThrows(IllegalArgumentException.class, () -> s.forward(x, BnMode.INFERENCE, BlockGates.of(1f)));
      IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
          () -> s.trainStep(x, new int[] {0, 1}, BlockGates.ones(spec), -1));
      assertTrue(lr.getMessage().contains("learningRate=-1.0; allowed"), lr.getMessage());
      assertThrows(IllegalArgumentException.class, () -> s.trainStep(x, new int[] {0, 10}, BlockGates.ones(spec), 1));
    }
    ModelSpec mlp = SpecNames.build("mlp-2x4-res-bn");
    try (Session s = new OrtCpuBackend().open(mlp, Initializer.initialize(mlp, 1), SessionOptions.DEFAULT)) {
      IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
          () -> s.trainStep(HostTensor.zeros(1, 1), new int[] {0}, BlockGates.ones(mlp), 0.1));
      assertTrue(one.getMessage().contains("allowed: a batch of at least 2"), one.getMessage());
    }
  }

  @Test
  void aPrivateThreadPoolGivesTheSameResults() {
    HostTensor x = OrtTesting.input(spec, 3, 1);
    try (Session a = new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT);
        Session b = new OrtCpuBackend().open(spec, state, SessionOptions.builder().optThreads(1).build())) {
      ReferenceAgreementTest.assertClose("1 thread vs default", a.forward(x, BnMode.TRAIN, BlockGates.ones(spec))
          .data(),
          b.forward(x, BnMode.TRAIN, BlockGates.ones(spec)).data());
    }
  }

  @Test
  void bareInferenceRunsTheSameModelAsTheHarness() {
    HostTensor x = OrtTesting.input(spec, 4, 1);
    Backend cpu = new OrtCpuBackend();
    try (Session s = cpu.open(spec, state, SessionOptions.DEFAULT);
        BareInference bare = cpu.bareInference(spec, state, x, SessionOptions.DEFAULT).orElseThrow()) {
      float first = s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec)).data()[0];
      assertEquals(first, bare.runOnce(), 0.0, "same graph, same input: the same bits");
      bare.close();
      bare.close();
      assertThrows(IllegalStateException.class, bare::runOnce);
    }
  }

  @Test
  void exportedModelRunsInOnnxRuntimeWithDefaultAndExplicitGates(@TempDir Path dir) throws Exception {
    ModelExporter exporter = ServiceLoader.load(ModelExporter.class).findFirst().orElseThrow();
    assertEquals("onnx", exporter.format());
    Path file = dir.resolve("m.onnx");
    exporter.export(spec, state, file, Map.of("resbench.seed", "3", "resbench.version", "test"));
    HostTensor x = OrtTesting.input(spec, 3, 1);
    BlockGates lesion = BlockGates.lesion(BlockGates.inference(spec), 1);
    OrtRuntime rt = OrtRuntime.get();
    // ONNX Runtime's Java API feeds only required inputs; tools that can override an initializer (Python's
    // onnxruntime) see what this copy without the default shows when 'gates' is fed.
    ai.onnx.proto.OnnxMl.ModelProto proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
        java.nio.file.Files.readAllBytes(file));
    ai.onnx.proto.OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
    graph.removeInitializer(graph.getInitializerList().stream().map(ai.onnx.proto.OnnxMl.TensorProto::getName).toList()
        .indexOf(GraphNames.GATES));
    byte[] withoutDefault = proto.toBuilder().setGraph(graph).build().toByteArray();
    try (Session s = new OrtCpuBackend().open(spec, state, SessionOptions.DEFAULT);
        OrtSession ort = rt.env.createSession(file.toString());
        OrtSession required = rt.env.createSession(withoutDefault);
        OnnxTensor in = OnnxTensor.createTensor(rt.env, FloatBuffer.wrap(x.data()), x.longShape());
        OnnxTensor gates = OnnxTensor.createTensor(rt.env, FloatBuffer.wrap(lesion.values()), new long[] {3})) {
      // Tools that feed only the image get the inference gates (the survival probabilities).
      assertEquals(java.util.Set.of(GraphNames.INPUT), ort.getInputNames());
      try (OrtSession.Result r = ort.run(Map.of(GraphNames.INPUT, in))) {
        float[] logits = ((OnnxTensor) r.get(GraphNames.LOGITS).orElseThrow()).getFloatBuffer().array();
        ReferenceAgreementTest.assertClose("export, default gates",
            s.forward(x, BnMode.INFERENCE, BlockGates.inference(spec)).data(), logits);
      }
      assertEquals(java.util.Set.of(GraphNames.INPUT, GraphNames.GATES), required.getInputNames());
      try (OrtSession.Result r = required.run(Map.of(GraphNames.INPUT, in, GraphNames.GATES, gates))) {
        float[] logits = ((OnnxTensor) r.get(GraphNames.LOGITS).orElseThrow()).getFloatBuffer().array();
        float[] expected = s.forward(x, BnMode.INFERENCE, lesion).data();
        ReferenceAgreementTest.assertClose("export, lesion gates", expected, logits);
        assertNotEquals(expected[0], s.forward(x, BnMode.INFERENCE, BlockGates.inference(spec)).data()[0]);
      }
      Map<String, String> meta = ort.getMetadata().getCustomMetadata();
      assertEquals(spec.hash(), meta.get("resbench.spec.hash"));
      assertEquals(spec.name(), meta.get("resbench.spec.name"));
      assertEquals("3", meta.get("resbench.seed"));
      assertTrue(meta.get(OnnxModelExporter.GATES_KEY).contains("default [0.8333333,0.6666667,0.5]"),
          meta.get(OnnxModelExporter.GATES_KEY));
      assertEquals("resbench", ort.getMetadata().getProducerName());
    }
  }
}
