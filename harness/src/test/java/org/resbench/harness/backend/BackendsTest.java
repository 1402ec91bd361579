package org.resbench.harness.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;

class BackendsTest {

  /** A provider whose probe says what it was told to: enough to test lookup and filtering. */
  record FixedBackend(String name, Capabilities caps) implements Backend {
    @Override
    public String description() {
      return "test backend";
    }

    @Override
    public Device device() {
      return caps.device();
    }

    @Override
    public Capabilities probe() {
      return caps;
    }

    @Override
    public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
      throw new BackendException(name, caps.available() ? "not used in this test" : caps.unavailableReason());
    }
  }

  private final Backend cpu = new FixedBackend("b-cpu", Capabilities.available("E", "1", Device.CPU,
      EnumSet.allOf(Capability.class)));
  private final Backend gpu = new FixedBackend("a-gpu", Capabilities.unavailable("E", "1", Device.CUDA,
      "no CUDA device; use b-cpu", EnumSet.allOf(Capability.class)));
  private final Backend infer = new FixedBackend("c-infer", Capabilities.available("E", "1", Device.CPU,
      EnumSet.of(Capability.INFERENCE)));

  @Test
  void lookupIsByNameAndUnknownNamesListTheValidOnes() {
    Backends b = Backends.of(List.of(cpu, gpu, infer));
    assertEquals(List.of("a-gpu", "b-cpu", "c-infer"), b.names());
    assertEquals(cpu, b.get("b-cpu"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.get("tpu"));
    assertEquals("unknown backend 'tpu'; allowed: a-gpu, b-cpu, c-infer", e.getMessage());
  }

  @Test
  void supportingFiltersOnAvailabilityAndCapabilities() {
    Backends b = Backends.of(List.of(cpu, gpu, infer));
    assertEquals(List.of(cpu), b.supporting(Capability.TRAINING));
    assertEquals(List.of(cpu, infer), b.supporting(Capability.INFERENCE));
    assertTrue(!gpu.probe().can(Capability.INFERENCE));
  }

  @Test
  void duplicateNamesAreRejectedAndBackendErrorsNameTheBackend() {
    assertThrows(IllegalStateException.class, () -> Backends.of(List.of(cpu, cpu)));
    BackendException e = assertThrows(BackendException.class, () -> gpu.open(null, null, SessionOptions.DEFAULT));
    assertEquals("a-gpu", e.backend());
    assertTrue(e.getMessage().startsWith("a-gpu: no CUDA device"));
    assertThrows(IllegalArgumentException.class, () -> Capabilities.unavailable("E", "1", Device.CUDA, " ",
        EnumSet.noneOf(Capability.class)));
  }
}
