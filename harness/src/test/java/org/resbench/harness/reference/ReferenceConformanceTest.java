package org.resbench.harness.reference;

import org.resbench.harness.backend.Backend;
import org.resbench.harness.conformance.BackendConformanceTest;

/**
 * The reference runs the conformance suite against itself: the suite's first client. Every comparison must
 * come out exact (float64 computed twice the same way), so this proves the suite's plumbing, fixtures and
 * behavioural checks rather than any tolerance.
 */
class ReferenceConformanceTest extends BackendConformanceTest {
  @Override
  protected Backend backend() {
    return new ReferenceBackend();
  }
}
