package org.resbench.harness.reference;

import java.util.EnumSet;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.conformance.BackendConformanceTest;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;

/**
 * The suite's second client, which unlike the reference itself is not bit-identical to the oracle: the
 * reference with every tensor it produces (activations, gradients, weights, momentum, statistics) rounded
 * to float32, a model of a float32 engine's storage (its arithmetic stays float64, so a real engine's
 * accumulation error comes on top). It must pass every comparison: the tolerances accept float32-level
 * differences, including gradients that are 0 in exact arithmetic and cancelling objectives. Its worst
 * error/bound ratios are ~1e-3..1e-2 (6e-2 for one SGD step's parameter change, where the float32 rounding
 * of the weights themselves counts), which is the headroom left for accumulation order.
 */
class Float32StorageConformanceTest extends BackendConformanceTest {

  /** The reference in float32-storage mode: a test double, not registered for ServiceLoader. */
  static final class Float32StorageBackend implements Backend {
    @Override
    public String name() {
      return "reference-f32-storage";
    }

    @Override
    public String description() {
      return "the reference with float32 storage (a model of a float32 engine, for tests)";
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Capabilities probe() {
      return Capabilities.available(ReferenceBackend.ENGINE + ", float32 storage", "test", Device.CPU,
          EnumSet.allOf(Capability.class));
    }

    @Override
    public ReferenceSession open(ModelSpec spec, ModelState state, SessionOptions options) {
      return new ReferenceSession(name(), spec, state, options, true);
    }
  }

  @Override
  protected Backend backend() {
    return new Float32StorageBackend();
  }

  @Override
  protected boolean registeredForServiceLoader() {
    return false;
  }
}
