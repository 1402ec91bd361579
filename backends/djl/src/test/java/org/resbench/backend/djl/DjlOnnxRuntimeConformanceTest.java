package org.resbench.backend.djl;

import org.resbench.harness.backend.Backend;
import org.resbench.harness.conformance.BackendConformanceTest;

/**
 * The conformance suite for djl-onnxruntime: it declares inference only, so the suite runs its inference
 * scenarios and the SPI contract and skips gradient and training scenarios, naming the missing capability.
 */
class DjlOnnxRuntimeConformanceTest extends BackendConformanceTest {
  @Override
  protected Backend backend() {
    return new DjlOnnxRuntimeBackend();
  }
}
