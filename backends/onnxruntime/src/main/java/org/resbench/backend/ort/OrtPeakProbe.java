package org.resbench.backend.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.resbench.backend.ort.onnx.GraphBuilder;
import org.resbench.backend.ort.onnx.OnnxOp;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.PeakProbe;

/**
 * ONNX Runtime's large-GEMM rate: a one-node graph {@code C = MatMul(A, B)} with {@code n x n} float32 operands,
 * {@code B} an initializer (constant, as the weights of an inference graph are, so ONNX Runtime prepacks it for its
 * MLAS kernels) and {@code A} fed from a tensor prepared once; {@code C} is written into a pinned output tensor over
 * a direct buffer, so a call does no allocation or copy in Java. The session has the same options, thread pool and
 * execution provider as the backend's model sessions. Owns its session and tensors until {@link #close()}
 * (idempotent). Not thread-safe.
 */
final class OrtPeakProbe implements PeakProbe {
  private static final String A = "a";
  private static final String C = "c";

  private final String backend;
  private final int n;
  private final OrtSession session;
  private final OnnxTensor a;
  private final OnnxTensor c;
  private final FloatBuffer cBuffer;
  private final Map<String, OnnxTensor> feeds;
  private final Map<String, OnnxTensor> pinned;
  private boolean closed;

  private OrtPeakProbe(String backend, int n, OrtSession session, OnnxTensor a, OnnxTensor c, FloatBuffer cBuffer) {
    this.backend = backend;
    this.n = n;
    this.session = session;
    this.a = a;
    this.c = c;
    this.cBuffer = cBuffer;
    this.feeds = Map.of(A, a);
    this.pinned = Map.of(C, c);
  }

  /** Builds the graph and its session; throws {@link BackendException} when ONNX Runtime fails. */
  static OrtPeakProbe open(String backend, OrtRuntime rt, int n, int threads, boolean cuda) {
    if (n < 1) {
      throw new IllegalArgumentException("peak probe size n=" + n + "; allowed: 1 or more");
    }
    SplittableRandom r = new SplittableRandom(n);
    GraphBuilder g = new GraphBuilder("gemm-peak");
    g.input(A, GraphBuilder.ElemType.FLOAT, n, n);
    String b = g.initializer("b", random(n * n, r), n, n);
    g.output(C, g.node(OnnxOp.MATMUL).in(A, b).out(C), GraphBuilder.ElemType.FLOAT, n, n);
    byte[] model = g.build(OrtBackend.producerVersion(), Map.of(), "C = A B, the GEMM peak probe").toByteArray();
    OrtSession session = null;
    OnnxTensor a = null;
    OnnxTensor c = null;
    try {
      session = rt.createSession(model, threads, cuda);
      FloatBuffer aBuffer = direct(n * n);
      aBuffer.put(random(n * n, r)).rewind();
      a = OnnxTensor.createTensor(rt.env, aBuffer, new long[] {n, n});
      FloatBuffer cBuffer = direct(n * n);
      c = OnnxTensor.createTensor(rt.env, cBuffer, new long[] {n, n});
      return new OrtPeakProbe(backend, n, session, a, c, cBuffer);
    } catch (OrtException | RuntimeException e) {
      if (a != null) {
        a.close();
      }
      if (c != null) {
        c.close();
      }
      if (session != null) {
        try {
          session.close();
        } catch (OrtException ignored) {
          // the original failure is the one to report
        }
      }
      throw new BackendException(backend, "cannot prepare the " + n + "x" + n + " MatMul peak probe: "
          + e.getMessage(), e);
    }
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
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
    return "ONNX Runtime MatMul " + n + "x" + n + "x" + n + " float32, B constant";
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
    try (OrtSession.Result ignored = session.run(feeds, pinned)) {
      return cBuffer.get(0);
    } catch (OrtException e) {
      throw new BackendException(backend, "the MatMul peak probe failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    a.close();
    c.close();
    try {
      session.close();
    } catch (OrtException e) {
      throw new BackendException(backend, "closing the peak probe's session failed: " + e.getMessage(), e);
    }
  }
}
