package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * djl-onnxruntime: found through ServiceLoader, inference only, the same outputs as djl-pytorch-cpu on the same
 * weights and gates in both BatchNorm modes (float32 on two engines: 1e-5 of the largest logit plus 1e-5),
 * clear refusals for what it cannot do, and unavailable with a reason when no ONNX exporter is on the class
 * path.
 */
class DjlOnnxRuntimeBackendTest {
  private final DjlOnnxRuntimeBackend backend = new DjlOnnxRuntimeBackend();

  @Test
  void probeFindsInferenceOnlyAndTheRealOnnxRuntimeVersion() {
    assertTrue(Backends.discover().names().contains("djl-onnxruntime"));
    Capabilities c = backend.probe();
    assertTrue(c.available(), c::unavailableReason);
    assertEquals(EnumSet.of(Capability.INFERENCE), c.supported());
    assertFalse(c.can(Capability.TRAINING));
    assertFalse(c.can(Capability.INPUT_GRADIENTS));
    assertEquals("1.28.0", c.engineVersion());
  }

  @Test
  void outputsMatchDjlPyTorchOnTheSameWeightsAndGates() {
    for (String name : List.of("resnet-8-in3x8x8", "plain-8-in3x8x8", "resnet-8-b-in3x8x8", "resnet-8-sd-in3x8x8",
        "resnet-11-bottleneck-in3x8x8", "resnext-11-2x4d-in3x8x8", "mlp-3x8-res-bn", "mlp-2x6-ff-in2x3-out3")) {
      ModelSpec spec = SpecNames.build(name);
      ModelState state = DjlTestSupport.state(spec, 31);
      HostTensor x = DjlTestSupport.input(spec, 4, 32);
      float[] lesion = BlockGates.ones(spec).values();
      lesion[1] = 0f;
      lesion[0] = 0.5f;
      try (Session ort = backend.open(spec, state, SessionOptions.DEFAULT);
          Session pt = new DjlPyTorchCpuBackend().open(spec, state, SessionOptions.DEFAULT)) {
        for (BnMode mode : BnMode.values()) {
          for (BlockGates g : List.of(BlockGates.inference(spec), BlockGates.of(lesion))) {
            float[] want = pt.forward(x, mode, g).data();
            PtSessionTest.assertClose(name + ", BN " + mode + ", gates " + g, PtNet.toDouble(want),
                ort.forward(x, mode, g).data(), 1e-5, 1e-5);
          }
        }
        for (var b : spec.buffers()) {
          assertArrayEquals(state.get(b.name()).data(), ort.readState().get(b.name()).data(), b.name() + " unchanged");
        }
      }
    }
  }

  @Test
  void trainingAndGradientsAreRefusedWithTheAlternatives() {
    ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
    HostTensor x = DjlTestSupport.input(spec, 2, 33);
    try (Session s = backend.open(spec, DjlTestSupport.state(spec, 34), SessionOptions.DEFAULT)) {
      BackendException e = assertThrows(BackendException.class, () -> s.gradients(GradientRequest.builder(x,
          Objective.crossEntropy(new int[] {0, 1})).build()));
      assertTrue(e.getMessage().contains("cannot take gradients"), e.getMessage());
      e = assertThrows(BackendException.class, () -> s.trainStep(x, new int[] {0, 1}, null, 0.1));
      assertTrue(e.getMessage().contains("cannot train"), e.getMessage());
      e = assertThrows(BackendException.class, () -> s.activations(x, BnMode.INFERENCE, null, List.of("block0")));
      assertEquals("djl-onnxruntime", e.backend());
    }
  }

  @Test
  void loadStateReplacesTheModelAndReadStateReturnsIt() {
    ModelSpec spec = SpecNames.build("mlp-2x4-res-bn-out2");
    ModelState a = DjlTestSupport.state(spec, 35);
    ModelState b = DjlTestSupport.state(spec, 36);
    HostTensor x = DjlTestSupport.input(spec, 3, 37);
    try (Session s = backend.open(spec, a, SessionOptions.DEFAULT);
        Session pt = new DjlPyTorchCpuBackend().open(spec, b, SessionOptions.DEFAULT)) {
      s.loadState(b);
      assertArrayEquals(b.get("head.fc.weight").data(), s.readState().get("head.fc.weight").data());
      BlockGates ones = BlockGates.ones(spec);
      PtSessionTest.assertClose("after loadState", PtNet.toDouble(pt.forward(x, BnMode.INFERENCE, ones).data()),
          s.forward(x, BnMode.INFERENCE, ones).data(), 1e-5, 1e-5);
      s.close();
      s.close();
      assertThrows(IllegalStateException.class, () -> s.forward(x, BnMode.INFERENCE, ones));
    }
  }

  @Test
  void bareInferenceRunsTheSameModel() {
    ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
    ModelState state = DjlTestSupport.state(spec, 38);
    HostTensor x = DjlTestSupport.input(spec, 2, 39);
    try (Session s = backend.open(spec, state, SessionOptions.DEFAULT);
        BareInference bare = backend.bareInference(spec, state, x, SessionOptions.DEFAULT).orElseThrow()) {
      float first = s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec)).data()[0];
      assertEquals(first, bare.runOnce(), 0);
      assertEquals(first, bare.runOnce(), 0);
    }
  }

  /** Entry point of the child JVMs: optionally probes ort-cpu first, then prints djl-onnxruntime's verdict. */
  public static final class Child {
    public static void main(String[] args) {
      if (args.length > 0) {
        Capabilities ort = Backends.discover().get(args[0]).probe();
        System.out.println(args[0] + " available=" + ort.available());
      }
      Capabilities c = new DjlOnnxRuntimeBackend().probe();
      System.out.println("available=" + c.available());
      System.out.println("reason=" + c.unavailableReason());
    }
  }

  @Test
  void afterTheOnnxRuntimeBackendCreatedTheEnvironmentItSaysWhatToDo() throws Exception {
    List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "-Dai.djl.offline=true", Child.class.getName(), "ort-cpu");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish within 120 s");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("ort-cpu available=true"), out);
    assertTrue(out.contains("available=false"), out);
    assertTrue(out.contains("reason=ONNX Runtime's environment was already created in this process"), out);
    assertTrue(out.contains("name it first in --backends"), out);
  }

  @Test
  void withoutAnExporterItIsUnavailableAndSaysWhy() throws Exception {
    String cp = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("resbench-backend-onnxruntime") && !e.contains("backends/onnxruntime"))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", cp, "-Dai.djl.offline=true", Child.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish within 120 s");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("available=false"), out);
    assertTrue(out.contains("reason=no ONNX exporter on the class path"), out);
    assertTrue(out.contains("resbench-backend-onnxruntime"), out);
  }
}
