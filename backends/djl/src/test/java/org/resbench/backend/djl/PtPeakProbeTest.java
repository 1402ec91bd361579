package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.PeakProbe;
import org.resbench.harness.backend.SessionOptions;

/** PyTorch's matMul peak probe computes the product it times and owns its memory. */
class PtPeakProbeTest {

  @Test
  void theProbeMultipliesItsOperandsCallAfterCall() {
    int n = 80;
    // The probe draws A, then B, from SplittableRandom(n).
    SplittableRandom r = new SplittableRandom(n);
    float[] a = random(n * n, r);
    float[] b = random(n * n, r);
    double c00 = 0;
    for (int k = 0; k < n; k++) {
      c00 += (double) a[k] * b[k * n];
    }
    try (PeakProbe p = new DjlPyTorchCpuBackend().peakProbe(n, SessionOptions.DEFAULT).orElseThrow()) {
      assertEquals(2.0 * n * n * n, p.flopsPerCall());
      assertTrue(p.description().startsWith("PyTorch matMul 80x80x80 float32"), p.description());
      for (int i = 0; i < 3; i++) {
        // float32 products in PyTorch's summation order: relative 1e-5 of the sum of |terms| (~n/4).
        assertEquals(c00, p.runOnce(), 1e-5 * n, "call " + i);
      }
    }
  }

  @Test
  void aClosedProbeSaysSoAndBadSizesAreRejected() {
    PeakProbe p = new DjlPyTorchCpuBackend().peakProbe(4, SessionOptions.DEFAULT).orElseThrow();
    p.close();
    p.close();
    assertThrows(IllegalStateException.class, p::runOnce);
    assertThrows(IllegalArgumentException.class,
        () -> new DjlPyTorchCpuBackend().peakProbe(0, SessionOptions.DEFAULT));
  }

  private static float[] random(int count, SplittableRandom r) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (r.nextDouble() - 0.5);
    }
    return v;
  }
}
