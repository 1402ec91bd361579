package org.resbench.harness.backend;

import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;

/**
 * A backend provider, found through {@link java.util.ServiceLoader} (one {@code META-INF/services} line per
 * provider, as DJL's engine providers). Constructing one must be cheap and must not load native code; the
 * engine is opened lazily by {@link #probe()} or {@link #open}. Implementations are thread-safe.
 */
public interface Backend {

  /** The name the CLI shows and takes, e.g. {@code ort-cpu}; lower case, unique. */
  String name();

  /** One line saying what this backend is. */
  String description();

  /** The device it computes on. */
  Device device();

  /**
   * Finds what this backend can do on this machine by trying it (loading the engine, adding the device);
   * the result is cached. Never throws: an unusable backend reports why.
   */
  Capabilities probe();

  /**
   * Loads {@code spec} with the weights and statistics of {@code state}. Throws {@link BackendException} when
   * the backend is unavailable (its message is {@link Capabilities#unavailableReason()}) or the engine fails.
   */
  Session open(ModelSpec spec, ModelState state, SessionOptions options);

  /**
   * Whether this backend keeps its tensors on the Java heap (the pure-Java reference, in float64) rather than in
   * native memory: it decides which budget {@link org.resbench.harness.spec.MemoryEstimate} counts them against.
   */
  default boolean computesOnHeap() {
    return false;
  }

  /**
   * The engine's bare inference loop over the same model and {@code input} (BN in inference mode, all gates
   * 1), for measuring the harness's overhead; empty when the backend has none.
   */
  default java.util.Optional<BareInference> bareInference(ModelSpec spec, ModelState state,
      org.resbench.harness.tensor.HostTensor input, SessionOptions options) {
    return java.util.Optional.empty();
  }

  /**
   * The engine's own large matrix product ({@link PeakProbe}) on {@code n x n} operands with the thread settings of
   * {@code options}, for measuring the rate a model's FLOP/s is compared with; empty when the backend has none (a
   * report then leaves the fraction blank rather than inventing a peak). Throws {@link BackendException} when the
   * backend is unavailable or the engine fails, {@link IllegalArgumentException} when {@code n < 1}.
   */
  default java.util.Optional<PeakProbe> peakProbe(int n, SessionOptions options) {
    return java.util.Optional.empty();
  }
}
