package org.resbench.backend.djl;

import java.util.EnumSet;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.ModelExporter;
import org.resbench.harness.backend.ProbeOnce;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * {@code djl-onnxruntime}: DJL's OnnxRuntime engine running a spec's ONNX export, inference only (the engine
 * has no autograd and no trainer). It measures what DJL's layer costs over calling ONNX Runtime directly.
 *
 * <p>The ONNX file comes from a {@link ModelExporter} for format {@code onnx} found through
 * {@link ServiceLoader} (the ONNX Runtime module provides one); without one on the class path the backend
 * reports itself unavailable and says so. Cheap to construct; the probe (an export and one inference of a
 * tiny net) runs once and is cached. Thread-safe.
 */
public final class DjlOnnxRuntimeBackend implements Backend {
  /** The name the CLI shows. */
  public static final String NAME = "djl-onnxruntime";
  /** The exporter format this backend runs. */
  static final String FORMAT = "onnx";
  static final Set<Capability> SUPPORTED = EnumSet.of(Capability.INFERENCE);

  private final ProbeOnce probe = new ProbeOnce(this::doProbe);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "DJL's OnnxRuntime engine on the CPU running the spec's ONNX export (inference only)";
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  static String engineName() {
    return "ONNX Runtime (DJL " + ai.djl.engine.Engine.getDjlVersion() + ")";
  }

  /** The ONNX exporter on the class path, if any. */
  static Optional<ModelExporter> exporter() {
    for (ModelExporter e : ServiceLoader.load(ModelExporter.class, DjlOnnxRuntimeBackend.class.getClassLoader())) {
      if (FORMAT.equals(e.format())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The ONNX Runtime version actually on the class path (DJL's engine reports the one it was built with). */
  static String ortVersion() {
    try {
      return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
    } catch (RuntimeException | LinkageError e) {
      return "unknown";
    }
  }

  @Override
  public Capabilities probe() {
    return probe.get();
  }

  private Capabilities doProbe() {
    Optional<ModelExporter> exporter = exporter();
    if (exporter.isEmpty()) {
      return Capabilities.unavailable(engineName(), "unknown", Device.CPU, "no ONNX exporter on the class path: this"
          + " backend runs a spec's ONNX export, written by a ModelExporter for format 'onnx' (module"
          + " resbench-backend-onnxruntime provides it); put that module on the class path, or use ort-cpu or"
          + " djl-pytorch-cpu", SUPPORTED);
    }
    DjlNatives.Outcome o = DjlNatives.onnxRuntime();
    if (!o.ok()) {
      return Capabilities.unavailable(engineName(), "unknown", Device.CPU, o.failure(), SUPPORTED);
    }
    String version = ortVersion();
    ModelSpec tiny = SpecNames.build("mlp-1x2-ff");
    try (DjlOrtSession s = new DjlOrtSession(NAME, tiny, Initializer.initialize(tiny, 1), SessionOptions.DEFAULT,
        exporter.get())) {
      s.forward(HostTensor.zeros(2, 1), BnMode.INFERENCE, BlockGates.ones(tiny));
    } catch (RuntimeException | LinkageError e) {
      return Capabilities.unavailable(engineName(), version, Device.CPU, "DJL's OnnxRuntime engine loaded but could"
          + " not run an exported model: " + DjlNatives.causeChain(e), SUPPORTED);
    }
    return Capabilities.available(engineName(), version, Device.CPU, SUPPORTED);
  }

  private ModelExporter exporterOrThrow() {
    Capabilities c = probe();
    if (!c.available()) {
      throw new BackendException(NAME, c.unavailableReason());
    }
    return exporter().orElseThrow();
  }


  @Override
  public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
    SessionChecks.requireOpenArgs(spec, state, options);
    return new DjlOrtSession(NAME, spec, state, options, exporterOrThrow());
  }

  @Override
  public Optional<BareInference> bareInference(ModelSpec spec, ModelState state, HostTensor input,
      SessionOptions options) {
    SessionChecks.requireOpenArgs(spec, state, options);
    SessionChecks.requireInput(spec, input);
    DjlOrtSession s = new DjlOrtSession(NAME, spec, state, options, exporterOrThrow());
    try {
      return Optional.of(s.bare(input));
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return NAME;
  }
}
