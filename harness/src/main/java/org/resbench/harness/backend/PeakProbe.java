package org.resbench.harness.backend;

/**
 * An engine's own large dense matrix product, {@code C = A B} with square {@code n x n} operands in the precision
 * the engine computes a model in, prepared once and run call by call: the ceiling that a model's achieved FLOP/s
 * is divided by to give its roofline fraction. Measured in the same process and run as the model (the rate depends
 * on the CPU, its vector units and the thread settings, so a figure typed in from elsewhere is not good enough).
 * Created by {@link Backend#peakProbe}; owns its native objects until {@link #close()} (idempotent); use after
 * close throws {@link IllegalStateException}. Not thread-safe.
 */
public interface PeakProbe extends AutoCloseable {

  /** What is multiplied and how, e.g. "ONNX Runtime MatMul 1024x1024x1024 float32, B constant". */
  String description();

  /** Floating-point operations of one call: {@code 2 n^3} (one multiply and one add per multiply-accumulate). */
  double flopsPerCall();

  /**
   * Computes the product once and returns one element of it, so that the work cannot be optimised away. Throws
   * {@link BackendException} when the engine fails.
   */
  double runOnce();

  @Override
  void close();
}
