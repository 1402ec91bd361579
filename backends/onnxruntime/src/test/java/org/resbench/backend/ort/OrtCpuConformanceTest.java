package org.resbench.backend.ort;

import org.resbench.harness.backend.Backend;
import org.resbench.harness.conformance.BackendConformanceTest;

/** The conformance suite (every family against the float64 reference, and the SPI contract) on {@code ort-cpu}. */
class OrtCpuConformanceTest extends BackendConformanceTest {
  @Override
  protected Backend backend() {
    return new OrtCpuBackend();
  }
}
