package org.resbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.SplittableRandom;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.PeakProbe;

/**
 * PyTorch's large-GEMM rate through DJL: {@code NDArray.matMul} of two {@code n x n} float32 arrays created once on
 * the backend's device, without autograd; each call's product lives in a sub-manager closed when the call returns
 * (as a session's forward pass does). Owns its NDManager until {@link #close()} (idempotent). Not thread-safe.
 */
final class PtPeakProbe implements PeakProbe {
  private final String backend;
  private final int n;
  private final NDManager root;
  private final NDArray a;
  private final NDArray b;
  private boolean closed;

  PtPeakProbe(String backend, int n, Engine engine, ai.djl.Device device) {
    if (n < 1) {
      throw new IllegalArgumentException("peak probe size n=" + n + "; allowed: 1 or more");
    }
    this.backend = backend;
    this.n = n;
    this.root = engine.newBaseManager(device);
    try {
      SplittableRandom r = new SplittableRandom(n);
      this.a = root.create(random(n * n, r), new Shape(n, n));
      this.b = root.create(random(n * n, r), new Shape(n, n));
    } catch (RuntimeException e) {
      root.close();
      throw new BackendException(backend, "cannot prepare the " + n + "x" + n + " matMul peak probe: "
          + DjlNatives.causeChain(e), e);
    }
  }

  private static float[] random(int count, SplittableRandom r) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (r.nextDouble() - 0.5);
    }
    return v;
  }

  @Override
  public String description() {
    return "PyTorch matMul " + n + "x" + n + "x" + n + " float32 (DJL NDArray)";
  }

  @Override
  public double flopsPerCall() {
    return 2.0 * n * n * n;
  }

  @Override
  public double runOnce() {
    if (closed) {
      throw new IllegalStateException(backend + ": the peak probe is closed");
    }
    try (NDManager step = root.newSubManager()) {
      JniUtils.setGradMode(false);
      a.tempAttach(step);
      NDArray c = a.matMul(b);
      return c.getFloat(0, 0);
    } catch (RuntimeException e) {
      throw new BackendException(backend, "the matMul peak probe failed in PyTorch: " + DjlNatives.causeChain(e), e);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      root.close();
    }
  }
}
