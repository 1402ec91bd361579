package org.resbench.backend.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * What the developer tools in {@code org.resbench.backend.ort.devtools} need from this package's internals: ort-cpu's
 * ONNX Runtime environment, its session options and NCHWc block size, and the seeded test data of {@link OrtTesting}.
 * Test sources only, not part of the backend's API. Stateless; thread-safe.
 */
public final class DevtoolsAccess {
  private DevtoolsAccess() {}

  /** The process's ONNX Runtime environment as ort-cpu creates it (global thread pool), created on first use. */
  public static OrtEnvironment environment() {
    return OrtRuntime.get().env;
  }

  /** The block size of ONNX Runtime's NCHWc kernels here, as ort-cpu probes it (0: none). */
  public static int nchwcBlock() {
    return OrtRuntime.get().nchwcBlock();
  }

  /** ort-cpu's options for a CPU session with {@code threads} intra-op threads (0: the global pool); caller closes. */
  public static OrtSession.SessionOptions cpuSessionOptions(int threads) throws OrtException {
    return OrtRuntime.get().options(threads, false);
  }

  /** A batch of {@code n} standard normal inputs for {@code spec}, from {@code seed}. */
  public static HostTensor input(ModelSpec spec, int n, long seed) {
    return OrtTesting.input(spec, n, seed);
  }

  /** {@code n} labels in [0, classes), from {@code seed}. */
  public static int[] labels(int n, int classes, long seed) {
    return OrtTesting.labels(n, classes, seed);
  }
}
