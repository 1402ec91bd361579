package org.resbench.backend.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.resbench.backend.ort.onnx.GraphNames;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.SpecGraphs;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BnMode;
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
 * The ONNX Runtime backends' shared part: lazy engine, cached probe, sessions and the bare inference loop.
 * Constructing one loads no native code; {@link #probe()} and {@link #open} load ONNX Runtime on first use.
 * Thread-safe.
 */
public abstract class OrtBackend implements Backend {
  static final String ENGINE = "ONNX Runtime";
  static final Set<Capability> ALL = EnumSet.allOf(Capability.class);

  private final ProbeOnce probed = new ProbeOnce(this::doProbe);

  /** Whether sessions add the CUDA execution provider. */
  abstract boolean cuda();

  /** Finds out what works here; never throws. */
  abstract Capabilities doProbe();

  @Override
  public final Capabilities probe() {
    return probed.get();
  }

  @Override
  public final Session open(ModelSpec spec, ModelState state, SessionOptions options) {
    SessionChecks.requireOpenArgs(spec, state, options);
    OrtRuntime rt = requireAvailable();
    return new OrtModelSession(name(), rt, cuda(), spec, state, options);
  }

  /**
   * A plain {@code OrtSession.run} loop over the same inference model the harness's
   * {@link Session#forward} uses with all gates 1 (weights as initializers, BN with running statistics), with the
   * input tensor prepared once: the baseline for the harness's overhead.
   */
  @Override
  public final Optional<BareInference> bareInference(ModelSpec spec, ModelState state, HostTensor input,
      SessionOptions options) {
    SessionChecks.requireOpenArgs(spec, state, options);
    SessionChecks.requireInput(spec, input);
    OrtRuntime rt = requireAvailable();
    byte[] model = SpecGraphs.build(spec, GraphPlan.forward(BnMode.INFERENCE, false), state, null, null,
        producerVersion(), Map.of()).toByteArray();
    OrtSession session = null;
    OnnxTensor tensor = null;
    try {
      session = rt.createSession(model, options.threads(), cuda());
      tensor = OnnxTensor.createTensor(rt.env, FloatBuffer.wrap(input.data()), input.longShape());
      return Optional.of(new Bare(name(), session, tensor));
    } catch (OrtException | RuntimeException e) {
      if (tensor != null) {
        tensor.close();
      }
      if (session != null) {
        try {
          session.close();
        } catch (OrtException ignored) {
          // the original failure is the one to report
        }
      }
      throw new BackendException(name(), "cannot prepare the bare inference loop of '" + spec.name() + "': "
          + e.getMessage(), e);
    }
  }

  /** A one-node MatMul graph on this backend's provider and thread settings ({@link OrtPeakProbe}). */
  @Override
  public final Optional<PeakProbe> peakProbe(int n, SessionOptions options) {
    OrtRuntime rt = requireAvailable();
    if (options == null) {
      throw new IllegalArgumentException("peakProbe: options=null; allowed: non-null session options");
    }
    return Optional.of(OrtPeakProbe.open(name(), rt, n, options.threads(), cuda()));
  }

  private OrtRuntime requireAvailable() {
    Capabilities c = probe();
    if (!c.available()) {
      throw new BackendException(name(), c.unavailableReason());
    }
    return OrtRuntime.get();
  }

  /** The resbench version recorded in generated models. */
  static String producerVersion() {
    String v = OrtBackend.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /** The bare loop: owns its session and input tensor. Not thread-safe. */
  private static final class Bare implements BareInference {
    private final String backend;
    private final OrtSession session;
    private final OnnxTensor input;
    private final Map<String, OnnxTensor> feeds;
    private boolean closed;

    Bare(String backend, OrtSession session, OnnxTensor input) {
      this.backend = backend;
      this.session = session;
      this.input = input;
      this.feeds = Map.of(GraphNames.INPUT, input);
    }

    @Override
    public double runOnce() {
      if (closed) {
        throw new IllegalStateException(backend + ": the bare inference loop is closed");
      }
      try (OrtSession.Result r = session.run(feeds)) {
        return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
      } catch (OrtException e) {
        throw new BackendException(backend, "bare inference run failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      input.close();
      try {
        session.close();
      } catch (OrtException e) {
        throw new BackendException(backend, "closing the bare inference session failed: " + e.getMessage(), e);
      }
    }
  }
}
