package org.resbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.PeakProbe;
import org.resbench.harness.backend.ProbeOnce;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * The DJL PyTorch backends ({@link DjlPyTorchCpuBackend}, {@link DjlPyTorchCudaBackend}): cheap to construct;
 * the engine loads on the first {@link #probe()} or {@link #open}, once per JVM ({@link DjlNatives}). The
 * probe result is cached. Thread-safe.
 *
 * <p>PyTorch's intra-op thread count is one setting per process: a session opened with
 * {@link SessionOptions#threads()} {@code > 0} sets it for every PyTorch session in the JVM.
 */
abstract class PyTorchBackend implements Backend {
  static final Set<Capability> ALL = EnumSet.of(Capability.INFERENCE, Capability.INPUT_GRADIENTS,
      Capability.PARAMETER_GRADIENTS, Capability.TRAINING, Capability.PATH_MASKS, Capability.ACTIVATIONS);
  private final ProbeOnce probe = new ProbeOnce(this::doProbe);

  /** DJL's device for this backend. */
  abstract ai.djl.Device djlDevice();

  /** Why this backend cannot run with the loaded engine, or null when it can. */
  abstract String deviceProblem(Engine engine);

  static String engineName() {
    return "PyTorch (DJL " + Engine.getDjlVersion() + ")";
  }

  @Override
  public Capabilities probe() {
    return probe.get();
  }

  private Capabilities doProbe() {
    DjlNatives.Outcome o = DjlNatives.pytorch();
    if (!o.ok()) {
      return Capabilities.unavailable(engineName(), "unknown", device(), o.failure(), ALL);
    }
    Engine engine = o.engine();
    String version = engine.getVersion();
    String problem = deviceProblem(engine);
    if (problem != null) {
      return Capabilities.unavailable(engineName(), version, device(), problem, ALL);
    }
    try {
      smokeTest(engine);
    } catch (RuntimeException | LinkageError e) {
      return Capabilities.unavailable(engineName(), version, device(), "PyTorch loaded but a convolution with a"
          + " backward pass failed on " + djlDevice() + ": " + DjlNatives.causeChain(e), ALL);
    }
    return Capabilities.available(engineName(), version, device(), ALL);
  }

  /** A 3x3 convolution, batch norm in training mode and a backward pass: what every session needs. */
  private void smokeTest(Engine engine) {
    try (NDManager m = engine.newBaseManager(djlDevice())) {
      NDArray x = m.ones(new Shape(2, 1, 3, 3));
      NDArray w = m.ones(new Shape(1, 1, 3, 3));
      x.setRequiresGradient(true);
      JniUtils.setGradMode(true);
      try {
        NDArray y = x.getNDArrayInternal().convolution(x, w, null, new Shape(1, 1), new Shape(1, 1),
            new Shape(1, 1), 1).singletonOrThrow();
        NDArray z = JniUtils.batchNorm((PtNDArray) y, (PtNDArray) m.zeros(new Shape(1)),
            (PtNDArray) m.ones(new Shape(1)), (PtNDArray) m.ones(new Shape(1)), (PtNDArray) m.zeros(new Shape(1)),
            true, 0.1, 1e-5);
        NDArray s = z.mul(z).sum();
        JniUtils.backward((PtNDArray) s, (PtNDArray) m.ones(s.getShape()), false, false);
      } finally {
        JniUtils.setGradMode(false);
      }
      if (JniUtils.getGradient((PtNDArray) x) == null) {
        throw new IllegalStateException("no input gradient after backward");
      }
    }
  }

  private Engine engineOrThrow() {
    Capabilities c = probe();
    if (!c.available()) {
      throw new BackendException(name(), c.unavailableReason());
    }
    return DjlNatives.pytorch().engine();
  }


  @Override
  public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
    SessionChecks.requireOpenArgs(spec, state, options);
    Engine engine = engineOrThrow();
    applyThreads(options);
    return new PtSession(name(), spec, state, options, engine, djlDevice());
  }

  @Override
  public Optional<BareInference> bareInference(ModelSpec spec, ModelState state, HostTensor input,
      SessionOptions options) {
    SessionChecks.requireOpenArgs(spec, state, options);
    SessionChecks.requireInput(spec, input);
    Engine engine = engineOrThrow();
    applyThreads(options);
    return Optional.of(new PtBareInference(name(), spec, state, input, engine, djlDevice()));
  }

  /** PyTorch's own matMul on this backend's device ({@link PtPeakProbe}); sets the thread count as sessions do. */
  @Override
  public Optional<PeakProbe> peakProbe(int n, SessionOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("peakProbe: options=null; allowed: non-null session options");
    }
    Engine engine = engineOrThrow();
    applyThreads(options);
    return Optional.of(new PtPeakProbe(name(), n, engine, djlDevice()));
  }

  private void applyThreads(SessionOptions options) {
    if (options.threads() > 0 && JniUtils.getNumThreads() != options.threads()) {
      JniUtils.setNumThreads(options.threads());
    }
  }

  /** Where the loaded PyTorch library lives, for messages. */
  static String libraryPath() {
    try {
      return LibUtils.getLibtorchPath();
    } catch (RuntimeException e) {
      return "(unknown)";
    }
  }

  /** Whether the loaded PyTorch build has CUDA, and how many GPUs the CUDA runtime reports. */
  static String cudaProblem(Engine engine) {
    int gpus = CudaUtils.getGpuCount();
    boolean cudaBuild = engine.hasCapability(StandardCapabilities.CUDA);
    if (gpus > 0 && cudaBuild) {
      return null;
    }
    StringBuilder sb = new StringBuilder("no CUDA device: ");
    if (gpus == 0) {
      sb.append("DJL found no GPU (it asks the CUDA runtime, libcudart, found through the library path; none was"
          + " found or it reports no device)");
    } else {
      sb.append("DJL found ").append(gpus).append(" GPU(s)");
    }
    if (!cudaBuild) {
      sb.append(", and the PyTorch build DJL loaded (").append(libraryPath()).append(") is CPU-only");
    }
    sb.append(". On a GPU machine, build without the CPU natives and let DJL fetch the CUDA build (README, 'DJL"
        + " backends'); here use djl-pytorch-cpu");
    return sb.toString();
  }

  @Override
  public String toString() {
    return name();
  }
}
