package org.resbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionChecks;
import org.resbench.harness.backend.SessionGuard;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ProbePoint;
import org.resbench.harness.tensor.HostTensor;

/**
 * A {@link Session} on DJL's PyTorch engine. Owns one NDManager (its parameters, statistics and momentum
 * buffers); every call works in a sub-manager that is closed when the call returns, so native memory does
 * not grow with the number of steps. PyTorch's gradient mode is thread-local: every call sets it itself.
 * Not thread-safe (one owner thread at a time); {@link #close()} is idempotent.
 */
final class PtSession implements Session {
  private final String backend;
  private final ModelSpec spec;
  private final SessionOptions options;
  private final NDManager root;
  private final PtNet net;
  private final SessionGuard guard;

  PtSession(String backend, ModelSpec spec, ModelState state, SessionOptions options, Engine engine,
      ai.djl.Device device) {
    this.backend = backend;
    this.spec = spec;
    this.options = options;
    this.guard = new SessionGuard(backend, spec);
    NDManager m = null;
    try {
      m = engine.newBaseManager(device);
      this.net = new PtNet(spec, state, m, DataType.FLOAT32);
    } catch (IllegalArgumentException e) {
      if (m != null) {
        m.close();
      }
      throw e;
    } catch (RuntimeException e) {
      if (m != null) {
        m.close();
      }
      throw new BackendException(backend, "could not load '" + spec.name() + "' on " + device + ": "
          + DjlNatives.causeChain(e), e);
    }
    this.root = m;
  }

  @Override
  public ModelSpec spec() {
    guard.requireOpen();
    return spec;
  }

  @Override
  public String backendName() {
    guard.requireOpen();
    return backend;
  }

  @Override
  public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
    guard.requireOpen();
    SessionChecks.requireForward(spec, input, bnMode, gates);
    float[] g = gates.values();
    return engineCall("forward", () -> {
      try (NDManager step = root.newSubManager()) {
        JniUtils.setGradMode(false);
        NDArray x = net.create(step, input.data(), new Shape(input.longShape()));
        NDArray out = net.forward(x, new PtNet.Pass(bnMode, false, g, null));
        return HostTensor.of(out.toFloatArray(), input.dim(0), spec.outputs());
      }
    });
  }

  @Override
  public GradientResult gradients(GradientRequest request) {
    guard.requireOpen();
    SessionChecks.requireGradients(spec, request);
    float[] g = request.gatesFor(spec).values();
    PathMask mask = request.pathMaskFor(spec).isNone() ? null : request.pathMask();
    HostTensor input = request.input();
    int n = input.dim(0);
    int k = spec.outputs();
    return engineCall("gradients", () -> {
      try (NDManager step = root.newSubManager()) {
        net.requireParameterGradients(request.parameterGradients());
        if (request.parameterGradients()) {
          net.zeroGradients();
        }
        NDArray x = net.create(step, input.data(), new Shape(input.longShape()));
        if (request.inputGradient()) {
          x.setRequiresGradient(true);
        }
        float[] logits;
        HostObjective.Value value;
        JniUtils.setGradMode(true);
        try {
          NDArray out = net.forward(x, new PtNet.Pass(request.bnMode(), false, g, mask));
          logits = out.toFloatArray();
          value = HostObjective.of(request.objective(), PtNet.toDouble(logits), n, k);
          NDArray cot = step.create(PtNet.toFloat(value.cotangent()), out.getShape());
          JniUtils.backward((PtNDArray) out, (PtNDArray) cot, false, false);
        } finally {
          JniUtils.setGradMode(false);
        }
        HostTensor inputGrad = null;
        if (request.inputGradient()) {
          PtNDArray gx = JniUtils.getGradient((PtNDArray) x);
          if (gx == null) {
            inputGrad = HostTensor.zeros(input.shape());
          } else {
            gx.attach(step);
            inputGrad = HostTensor.of(gx.toFloatArray(), input.shape());
          }
        }
        Map<String, HostTensor> params = new LinkedHashMap<>();
        if (request.parameterGradients()) {
          for (var p : spec.trainableParameters()) {
            NDArray gp = net.gradient(p.name(), step);
            params.put(p.name(), gp == null ? HostTensor.zeros(p.shape().dims())
                : HostTensor.of(gp.toFloatArray(), p.shape().dims()));
          }
        }
        return new GradientResult(value.value(), HostTensor.of(logits, n, k), inputGrad, params);
      }
    });
  }

  @Override
  public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate) {
    guard.requireOpen();
    SessionChecks.requireTrainStep(spec, input, labels, gates, learningRate);
    float[] g = gates.values();
    int n = input.dim(0);
    int k = spec.outputs();
    return engineCall("trainStep", () -> {
      try (NDManager step = root.newSubManager()) {
        net.requireParameterGradients(true);
        net.zeroGradients();
        NDArray x = net.create(step, input.data(), new Shape(input.longShape()));
        float[] logits;
        HostObjective.Value loss;
        JniUtils.setGradMode(true);
        try {
          NDArray out = net.forward(x, new PtNet.Pass(BnMode.TRAIN, true, g, null));
          logits = out.toFloatArray();
          loss = HostObjective.of(Objective.crossEntropy(labels), PtNet.toDouble(logits), n, k);
          NDArray cot = step.create(PtNet.toFloat(loss.cotangent()), out.getShape());
          JniUtils.backward((PtNDArray) out, (PtNDArray) cot, false, false);
        } finally {
          JniUtils.setGradMode(false);
        }
        net.sgd(options.sgd(), learningRate, step);
        return new StepResult(loss.value(), HostTensor.of(logits, n, k));
      }
    });
  }

  @Override
  public Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
      List<String> probePoints) {
    guard.requireOpen();
    List<ProbePoint> points = SessionChecks.requireActivations(spec, input, bnMode, gates, probePoints);
    float[] g = gates.values();
    int n = input.dim(0);
    return engineCall("activations", () -> {
      try (NDManager step = root.newSubManager()) {
        JniUtils.setGradMode(false);
        NDArray x = net.create(step, input.data(), new Shape(input.longShape()));
        PtNet.Probes probes = new PtNet.Probes(probePoints);
        net.forward(x, new PtNet.Pass(bnMode, false, g, null, probes));
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (ProbePoint pp : points) {
          int[] dims = pp.shape().dims();
          int[] shape = new int[dims.length + 1];
          shape[0] = n;
          System.arraycopy(dims, 0, shape, 1, dims.length);
          out.put(pp.name(), HostTensor.of(probes.get(pp.name()).toFloatArray(), shape));
        }
        return out;
      }
    });
  }

  @Override
  public ModelState readState() {
    guard.requireOpen();
    return engineCall("readState", net::read);
  }

  @Override
  public void loadState(ModelState state) {
    guard.requireOpen();
    SessionChecks.requireStateFor(spec, state);
    engineCall("loadState", () -> {
      net.load(state);
      return null;
    });
  }

  @Override
  public TrainingState readTrainingState() {
    guard.requireOpen();
    return engineCall("readTrainingState", net::readTraining);
  }

  @Override
  public void loadTrainingState(TrainingState state) {
    guard.requireOpen();
    engineCall("loadTrainingState", () -> {
      net.loadTraining(state);
      return null;
    });
  }

  @Override
  public void close() {
    if (!guard.close()) {
      return;
    }
    try {
      net.close();
    } finally {
      root.close();
    }
  }

  /** Runs an engine call; PyTorch's errors become a {@link BackendException} naming this backend. */
  private <T> T engineCall(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendException(backend, what + " of '" + spec.name() + "' failed in PyTorch: "
          + DjlNatives.causeChain(e), e);
    }
  }
}
