package org.resbench.harness.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.PeakProbe;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Rngs;

class ReferenceGemmTest {

  /** A size that is no multiple of any block, so every edge case of the blocking runs. */
  private static final int N = 150;

  @Test
  void theBlockedProductEqualsTheTextbookOneOnEveryThreadCount() {
    double[] a = random(Rngs.stream(0, "peak/a"));
    double[] b = random(Rngs.stream(0, "peak/b"));
    for (int threads : new int[] {1, 2, 0}) {
      try (ReferenceGemm g = new ReferenceGemm(N, threads, 0)) {
        g.runOnce();
        double c00 = g.runOnce(); // a second call must not accumulate onto the first
        double expected = 0;
        for (int k = 0; k < N; k++) {
          expected += a[k] * b[k * N];
        }
        // Summation order differs (blocks of k), float64: agreement to rounding.
        assertEquals(expected, c00, 1e-12 * N, "threads=" + threads);
      }
    }
  }

  @Test
  void theProbeSaysWhatItDoesAndClosedMeansClosed() {
    PeakProbe p = new ReferenceBackend().peakProbe(N, SessionOptions.DEFAULT).orElseThrow();
    assertEquals(2.0 * N * N * N, p.flopsPerCall());
    assertTrue(p.description().contains("150x150x150 float64"), p.description());
    p.close();
    p.close();
    assertThrows(IllegalStateException.class, p::runOnce);
    assertThrows(IllegalArgumentException.class, () -> new ReferenceBackend().peakProbe(0, SessionOptions.DEFAULT));
  }

  private static double[] random(SplittableRandom r) {
    double[] m = new double[N * N];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextDouble() - 0.5;
    }
    return m;
  }
}
