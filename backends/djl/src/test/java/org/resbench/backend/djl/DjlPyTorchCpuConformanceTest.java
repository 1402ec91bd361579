package org.resbench.backend.djl;

import org.resbench.harness.backend.Backend;
import org.resbench.harness.conformance.BackendConformanceTest;

/** The whole conformance suite against the float64 reference, for djl-pytorch-cpu. */
class DjlPyTorchCpuConformanceTest extends BackendConformanceTest {
  @Override
  protected Backend backend() {
    return new DjlPyTorchCpuBackend();
  }
}
