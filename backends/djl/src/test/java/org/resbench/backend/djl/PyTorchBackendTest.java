package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/** Discovery, probes and the CUDA backend's failure on a machine without a GPU. */
class PyTorchBackendTest {

  @Test
  void bothPyTorchBackendsAreFoundThroughServiceLoader() {
    Backends all = Backends.discover();
    assertTrue(all.names().contains(DjlPyTorchCpuBackend.NAME), all.names().toString());
    assertTrue(all.names().contains(DjlPyTorchCudaBackend.NAME), all.names().toString());
    assertEquals(Device.CPU, all.get("djl-pytorch-cpu").device());
    assertEquals(Device.CUDA, all.get("djl-pytorch-cuda").device());
  }

  @Test
  void cpuProbeFindsEveryCapabilityAndTheEngineVersion() {
    Capabilities c = new DjlPyTorchCpuBackend().probe();
    assertTrue(c.available(), c::unavailableReason);
    assertEquals(EnumSet.allOf(Capability.class), c.supported());
    assertEquals("2.7.1", c.engineVersion());
    assertTrue(c.engine().startsWith("PyTorch (DJL 0.35"), c.engine());
    assertTrue(Files.isDirectory(DjlNatives.cacheDir().resolve("pytorch")),
        "natives unpacked under " + DjlNatives.cacheDir());
    assertTrue(DjlNatives.offline(), "DJL must run offline in tests");
  }

  @Test
  void cudaIsUnavailableWithoutAGpuAndSaysWhyAndWhatWorksInstead() {
    DjlPyTorchCudaBackend cuda = new DjlPyTorchCudaBackend();
    Capabilities c = cuda.probe();
    org.junit.jupiter.api.Assumptions.assumeFalse(c.available(),
        "this machine has a usable CUDA GPU; the no-GPU failure cannot be observed here");
    assertFalse(c.can(Capability.INFERENCE));
    assertTrue(c.unavailableReason().startsWith("no CUDA device"), c.unavailableReason());
    assertTrue(c.unavailableReason().contains("djl-pytorch-cpu"), c.unavailableReason());
    assertTrue(c.unavailableReason().contains("README"), c.unavailableReason());
    ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
    BackendException e = assertThrows(BackendException.class,
        () -> cuda.open(spec, Initializer.initialize(spec, 1), SessionOptions.DEFAULT));
    assertEquals("djl-pytorch-cuda", e.backend());
    assertEquals("djl-pytorch-cuda: " + c.unavailableReason(), e.getMessage());
    assertThrows(BackendException.class, () -> cuda.bareInference(spec, Initializer.initialize(spec, 1),
        DjlTestSupport.input(spec, 1, 1), SessionOptions.DEFAULT));
  }

  @Test
  void openChecksItsArguments() {
    DjlPyTorchCpuBackend cpu = new DjlPyTorchCpuBackend();
    ModelSpec a = SpecNames.build("resnet-8-in3x8x8");
    ModelSpec b = SpecNames.build("plain-8-in3x8x8");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cpu.open(a, Initializer.initialize(b, 1), SessionOptions.DEFAULT));
    assertTrue(e.getMessage().contains("state is for spec 'plain-8-in3x8x8'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> cpu.open(a, null, SessionOptions.DEFAULT));
  }
}
