package org.resbench.harness.backend;

/**
 * An engine's own inference loop over the same model and a fixed batch, without the harness's conversions
 * (no host-array copies, no SPI checks): the baseline against which the harness's overhead is measured.
 * Created by {@link Backend#bareInference}; owns its native objects until {@link #close()} (idempotent).
 * Not thread-safe.
 */
public interface BareInference extends AutoCloseable {

  /**
   * Runs one inference of the prepared batch and returns a cheap checksum of the output (e.g. its first
   * element), so that the work cannot be optimised away.
   */
  double runOnce();

  @Override
  void close();
}
