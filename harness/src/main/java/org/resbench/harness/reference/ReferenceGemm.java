package org.resbench.harness.reference;

import java.util.SplittableRandom;
import org.resbench.harness.backend.PeakProbe;
import org.resbench.harness.model.Rngs;

/**
 * The reference backend's large-GEMM rate: {@code C = A B} on {@code n x n} float64 matrices with a hand-written,
 * cache-blocked Java loop on the reference's own thread pool ({@link Parallel}).
 *
 * <p>Why hand-written: the reference has no BLAS underneath (it is plain Java by design, so that it is exact,
 * deterministic and has no native code), so the ceiling its convolutions can be compared with is what plain Java
 * loops reach on dense products on this JVM and CPU, not a library's rate. Why blocked: a naive triple loop is
 * bound by memory traffic at this size and would understate that ceiling several times over; with panels of
 * {@value #KB} rows of B and {@value #JB} columns, the innermost loop ({@code c[i][j] += a[i][k] b[k][j]}, no
 * reduction, unit stride) stays in the L1/L2 caches and the JIT vectorises it. Rows of C are split over the
 * threads; each task owns its rows. Not thread-safe; {@link #close()} releases the pool.
 */
final class ReferenceGemm implements PeakProbe {
  /** Rows of B (and columns of A) per block. */
  static final int KB = 128;
  /** Columns of B and C per block. */
  static final int JB = 512;
  /** Rows of C per parallel task. */
  static final int IB = 32;

  private final int n;
  private final double[] a;
  private final double[] b;
  private final double[] c;
  private final Parallel par;
  private boolean closed;

  ReferenceGemm(int n, int threads, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("peak probe size n=" + n + "; allowed: 1 or more");
    }
    this.n = n;
    this.a = random(n, Rngs.stream(seed, "peak/a"));
    this.b = random(n, Rngs.stream(seed, "peak/b"));
    this.c = new double[n * n];
    this.par = Parallel.withThreads(threads);
  }

  private static double[] random(int n, SplittableRandom r) {
    double[] m = new double[n * n];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextDouble() - 0.5;
    }
    return m;
  }

  @Override
  public String description() {
    return "blocked Java loop " + n + "x" + n + "x" + n + " float64 (" + IB + "x" + KB + "x" + JB + " blocks)";
  }

  @Override
  public double flopsPerCall() {
    return 2.0 * n * n * n;
  }

  @Override
  public double runOnce() {
    if (closed) {
      throw new IllegalStateException("reference peak probe is closed");
    }
    int panels = (n + IB - 1) / IB;
    par.forEach(panels, (long) IB * n * n, panel -> multiplyRows(panel * IB, Math.min(n, panel * IB + IB)));
    return c[0];
  }

  private void multiplyRows(int i0, int i1) {
    java.util.Arrays.fill(c, i0 * n, i1 * n, 0.0);
    for (int k0 = 0; k0 < n; k0 += KB) {
      int k1 = Math.min(n, k0 + KB);
      for (int j0 = 0; j0 < n; j0 += JB) {
        int j1 = Math.min(n, j0 + JB);
        for (int i = i0; i < i1; i++) {
          int ci = i * n;
          for (int k = k0; k < k1; k++) {
            double aik = a[i * n + k];
            int bk = k * n;
            for (int j = j0; j < j1; j++) {
              c[ci + j] += aik * b[bk + j];
            }
          }
        }
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      par.close();
    }
  }
}
