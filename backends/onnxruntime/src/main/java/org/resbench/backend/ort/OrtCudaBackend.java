package org.resbench.backend.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.Map;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.SpecGraphs;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Device;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * {@code ort-cuda}: ONNX Runtime's CUDA execution provider (operators it lacks fall back to the CPU). The probe
 * finds out for real: whether the ONNX Runtime on the class path is the CUDA build ({@code -Pcuda}), and whether a
 * session with the CUDA provider can be created on this machine; when not, the reason says what is missing and
 * what to do. Found through {@link java.util.ServiceLoader}; cheap to construct; thread-safe.
 */
public final class OrtCudaBackend extends OrtBackend {
  public static final String NAME = "ort-cuda";

  /** The reason given when the class path holds the CPU-only build. */
  static final String CPU_ONLY_BUILD = "this build has the CPU-only ONNX Runtime"
      + " (com.microsoft.onnxruntime:onnxruntime has no CUDA provider); rebuild with -Pcuda"
      + " (mvn -Pcuda -DskipTests package, which swaps in com.microsoft.onnxruntime:onnxruntime_gpu) on a machine"
      + " with an NVIDIA GPU, CUDA 12 and cuDNN 9; meanwhile use ort-cpu";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ONNX Runtime with the CUDA execution provider (needs the -Pcuda build, CUDA 12 and cuDNN 9)";
  }

  @Override
  public Device device() {
    return Device.CUDA;
  }

  @Override
  boolean cuda() {
    return true;
  }

  @Override
  Capabilities doProbe() {
    OrtRuntime rt;
    try {
      rt = OrtRuntime.get();
    } catch (Throwable t) {
      return Capabilities.unavailable(ENGINE, "unknown", Device.CUDA, "ONNX Runtime's native library could not be"
          + " loaded on this machine (" + t + ")", ALL);
    }
    String version = rt.env.getVersion();
    EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    if (!providers.contains(OrtProvider.CUDA)) {
      return Capabilities.unavailable(ENGINE, version, Device.CUDA, CPU_ONLY_BUILD + " (providers here: "
          + providers + ")", ALL);
    }
    // The CUDA build is present: adding the provider and creating a session loads libcudart, cuDNN and the device.
    ModelSpec tiny = SpecNames.build("mlp-1x2-ff");
    byte[] model = SpecGraphs.build(tiny, GraphPlan.forward(BnMode.INFERENCE, false), Initializer.initialize(tiny, 0),
        null, null, producerVersion(), Map.of()).toByteArray();
    try (OrtSession.SessionOptions o = rt.options(0, true); OrtSession s = rt.env.createSession(model, o)) {
      return Capabilities.available(ENGINE, version, Device.CUDA, ALL);
    } catch (OrtException | RuntimeException e) {
      return Capabilities.unavailable(ENGINE, version, Device.CUDA, "the CUDA build of ONNX Runtime is on the class"
          + " path but CUDA cannot be used here: " + e.getMessage() + ". It needs an NVIDIA GPU with its driver"
          + " (no CUDA device, or a missing driver, shows up as above), and the CUDA 12 and cuDNN 9 libraries on"
          + " the library path (LD_LIBRARY_PATH); meanwhile use ort-cpu", ALL);
    }
  }
}
