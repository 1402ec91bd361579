package org.resbench.backend.djl;

import ai.djl.engine.Engine;
import org.resbench.harness.backend.Device;

/**
 * {@code djl-pytorch-cuda}: DJL with the PyTorch engine on GPU 0. Needs a CUDA build of PyTorch, which no
 * Maven artifact serves for PyTorch 2.7.1 here: on a GPU machine DJL downloads it (README, "DJL backends").
 * Without a GPU, {@link #probe()} reports it unavailable with the reason, and {@link #open} throws that
 * reason. Cheap to construct; thread-safe.
 */
public final class DjlPyTorchCudaBackend extends PyTorchBackend {
  /** The name the CLI shows. */
  public static final String NAME = "djl-pytorch-cuda";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "DJL with the PyTorch engine on a CUDA GPU (CUDA natives fetched by DJL on a GPU machine)";
  }

  @Override
  public Device device() {
    return Device.CUDA;
  }

  @Override
  ai.djl.Device djlDevice() {
    return ai.djl.Device.gpu(0);
  }

  @Override
  String deviceProblem(Engine engine) {
    return cudaProblem(engine);
  }
}
