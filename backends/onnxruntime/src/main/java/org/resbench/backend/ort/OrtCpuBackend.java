package org.resbench.backend.ort;

import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Device;

/**
 * {@code ort-cpu}: ONNX Runtime's CPU execution provider, inference and training through generated backward
 * graphs. Intra-op threads come from {@code SessionOptions.threads()} (0 = one per core, shared through the
 * global thread pool). Found through {@link java.util.ServiceLoader}; cheap to construct; thread-safe.
 */
public final class OrtCpuBackend extends OrtBackend {
  public static final String NAME = "ort-cpu";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ONNX Runtime on the CPU; training and gradients through generated ONNX backward graphs";
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  boolean cuda() {
    return false;
  }

  @Override
  Capabilities doProbe() {
    try {
      OrtRuntime rt = OrtRuntime.get();
      // Which graphs run is part of the engine's identity in provenance: blocked (NCHWc) CPU graphs and the
      // standard-operator graphs agree to ~1e-4 relative, not bit for bit.
      int block = rt.nchwcBlock();
      String graphs = block > 0 ? "NCHWc-" + block + " CPU graphs" : "standard-operator graphs";
      // So are the thread pools: when another library created the environment, sessions have private pools.
      String pools = rt.globalPool ? "" : ", private thread pools (another library created the environment)";
      return Capabilities.available(ENGINE, rt.env.getVersion() + ", " + graphs + pools, Device.CPU, ALL);
    } catch (Throwable t) {
      return Capabilities.unavailable(ENGINE, "unknown", Device.CPU, "ONNX Runtime's native library could not be"
          + " loaded on this machine (" + t + "); it ships for linux/macOS/windows on x64 and aarch64", ALL);
    }
  }
}
