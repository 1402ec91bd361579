package org.resbench.backend.djl;

import ai.djl.engine.Engine;
import org.resbench.harness.backend.Device;

/**
 * {@code djl-pytorch-cpu}: DJL with the PyTorch engine on the CPU, natives from Maven
 * ({@code pytorch-native-cpu}), offline. Training, input and parameter gradients, path masks; found through
 * {@link java.util.ServiceLoader}. Cheap to construct; thread-safe.
 */
public final class DjlPyTorchCpuBackend extends PyTorchBackend {
  /** The name the CLI shows. */
  public static final String NAME = "djl-pytorch-cpu";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "DJL with the PyTorch engine on the CPU (natives from Maven, offline; autograd for gradients)";
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  ai.djl.Device djlDevice() {
    return ai.djl.Device.cpu();
  }

  @Override
  String deviceProblem(Engine engine) {
    return null;
  }
}
