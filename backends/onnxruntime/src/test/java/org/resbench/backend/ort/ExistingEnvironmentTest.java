package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * When another library (DJL's OnnxRuntime engine) created ONNX Runtime's environment first, ort-cpu shares it and
 * gives its sessions private thread pools instead of failing. ONNX Runtime's environment is a per-process
 * singleton, so this runs in a child JVM with this test's class path.
 */
class ExistingEnvironmentTest {

  /** Entry point of the child JVM: someone else's environment first, then ort-cpu sessions. */
  public static final class Child {
    public static void main(String[] args) {
      OrtEnvironment.getEnvironment(); // as DJL's OnnxRuntime engine does, without a global thread pool
      System.out.println("globalPool=" + OrtRuntime.get().globalPool);
      System.out.println("engineVersion=" + new OrtCpuBackend().probe().engineVersion());
      ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
      HostTensor x = OrtTesting.input(spec, 4, 1);
      for (int threads : new int[] {0, 1}) {
        try (Session s = new OrtCpuBackend().open(spec, Initializer.initialize(spec, 1),
            SessionOptions.builder().optThreads(threads).build())) {
          s.trainStep(x, new int[] {0, 1, 2, 3}, BlockGates.ones(spec), 0.1);
          float[] y = s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec)).data();
          System.out.println("threads=" + threads + " ok, " + y.length + " logits");
        }
      }
    }
  }

  @Test
  void anEnvironmentCreatedElsewhereIsShared() throws Exception {
    List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Child.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish within 120 s");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("globalPool=false"), out);
    assertTrue(out.contains("private thread pools (another library created the environment)"),
        "provenance says the sessions had private pools: " + out);
    assertTrue(out.contains("threads=0 ok, 40 logits") && out.contains("threads=1 ok, 40 logits"), out);
  }
}
