package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.PeakProbe;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/** The MatMul peak probe computes the product it times; exports carry no initializer that nothing reads. */
class OrtPeakProbeTest {

  @Test
  void theProbeMultipliesItsOperandsIntoThePinnedOutputCallAfterCall() {
    int n = 96;
    // The probe draws B, then A, from SplittableRandom(n).
    SplittableRandom r = new SplittableRandom(n);
    float[] b = random(n * n, r);
    float[] a = random(n * n, r);
    double c00 = 0;
    for (int k = 0; k < n; k++) {
      c00 += (double) a[k] * b[k * n];
    }
    for (int threads : new int[] {0, 1}) {
      try (PeakProbe p = new OrtCpuBackend().peakProbe(n, SessionOptions.builder().optThreads(threads).build())
          .orElseThrow()) {
        assertEquals(2.0 * n * n * n, p.flopsPerCall());
        assertTrue(p.description().startsWith("ONNX Runtime MatMul 96x96x96 float32"), p.description());
        for (int i = 0; i < 3; i++) {
          // float32 products summed by MLAS in its own order: relative 1e-5 of the sum of |terms| (~n/4 here).
          assertEquals(c00, p.runOnce(), 1e-5 * n, "call " + i + ", threads " + threads);
        }
      }
    }
  }

  @Test
  void aClosedProbeSaysSoAndBadSizesAreRejected() {
    PeakProbe p = new OrtCpuBackend().peakProbe(8, SessionOptions.DEFAULT).orElseThrow();
    p.close();
    p.close();
    assertThrows(IllegalStateException.class, p::runOnce);
    assertThrows(IllegalArgumentException.class, () -> new OrtCpuBackend().peakProbe(0, SessionOptions.DEFAULT));
    assertThrows(BackendException.class, () -> new OrtCudaBackend().peakProbe(8, SessionOptions.DEFAULT),
        "unavailable here: no GPU build");
  }

  @Test
  void aTrainingModeExportLeavesOutTheRunningStatisticsItDoesNotRead(@TempDir Path dir) throws Exception {
    ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
    Path file = dir.resolve("train.onnx");
    new OnnxModelExporter().export(spec, Initializer.initialize(spec, 1), BnMode.TRAIN, file, Map.of());
    OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
    assertFalse(g.getInitializerList().stream().anyMatch(t -> t.getName().contains("running_")),
        "no running statistics in a batch-statistics forward");
    assertTrue(g.getInitializerList().stream().anyMatch(t -> t.getName().equals("gates")), "gates keep a default");
    Path inference = dir.resolve("inference.onnx");
    new OnnxModelExporter().export(spec, Initializer.initialize(spec, 1), BnMode.INFERENCE, inference, Map.of());
    assertTrue(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(inference)).getGraph().getInitializerList().stream()
        .anyMatch(t -> t.getName().contains("running_mean")), "inference reads them");
    try (OrtSession s = OrtRuntime.get().env.createSession(file.toString())) {
      assertTrue(s.getInputNames().contains("input"));
    }
  }

  private static float[] random(int count, SplittableRandom r) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (r.nextDouble() - 0.5);
    }
    return v;
  }
}
