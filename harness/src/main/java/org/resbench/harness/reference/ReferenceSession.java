package org.resbench.harness.reference;

import java.util.Arrays;
import java.util.LinkedHashMap;
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
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * A model on the {@code reference} backend: parameters, SGD momentum buffers and BatchNorm statistics are
 * held in float64 for the session's lifetime; inputs and outputs are rounded to float32 at the SPI boundary.
 * Implements the canonical semantics of {@link Session} exactly, and is deterministic: the same calls give
 * bit-identical results whatever the thread count.
 *
 * <p>Beyond the SPI it reports the {@link #reluMargin() ReLU margin} of the passes it ran, which tells
 * comparisons with float32 engines whether a ReLU input came so close to 0 that rounding may legitimately
 * flip its mask. Owns a thread pool when opened with {@code threads > 1}, released by {@link #close()}
 * (idempotent; other calls after close throw {@link IllegalStateException}). Not thread-safe.
 */
public final class ReferenceSession implements Session {
  private final String backendName;
  private final ModelSpec spec;
  private final SgdConfig sgd;
  private final Parallel par;
  private final Map<String, double[]> values = new LinkedHashMap<>();
  private final Map<String, double[]> momentum = new LinkedHashMap<>();
  private final Network network;
  private final SessionGuard guard;
  private double reluMargin = Double.POSITIVE_INFINITY;

  ReferenceSession(ModelSpec spec, ModelState state, SessionOptions options) {
    this(ReferenceBackend.NAME, spec, state, options, false);
  }

  /**
   * With {@code float32Storage}, a model of a float32 engine for tests (see {@link Network}): weights, momentum
   * and statistics are rounded to float32 after every step too.
   */
  ReferenceSession(String backendName, ModelSpec spec, ModelState state, SessionOptions options,
      boolean float32Storage) {
    this.backendName = backendName;
    this.spec = spec;
    this.guard = new SessionGuard(backendName, spec);
    this.sgd = options.sgd();
    for (ParameterSpec p : spec.parameters()) {
      values.put(p.name(), new double[p.shape().size()]);
      if (p.trainable()) {
        momentum.put(p.name(), new double[p.shape().size()]);
      }
    }
    copyIn(state);
    this.par = Parallel.withThreads(options.threads());
    this.network = new Network(spec, values, par, float32Storage);
  }

  @Override
  public ModelSpec spec() {
    guard.requireOpen();
    return spec;
  }

  @Override
  public String backendName() {
    guard.requireOpen();
    return backendName;
  }

  @Override
  public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
    guard.requireOpen();
    SessionChecks.requireForward(spec, input, bnMode, gates);
    double[] g = toDoubles(gates.values());
    return guarded("forward", () -> {
      Network.Trace t = network.forward(Tensor.fromHost(input), bnMode, g);
      noteMargin(t);
      return t.output.toHost();
    });
  }

  @Override
  public Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
      java.util.List<String> probePoints) {
    guard.requireOpen();
    SessionChecks.requireActivations(spec, input, bnMode, gates, probePoints);
    double[] g = toDoubles(gates.values());
    return guarded("activations", () -> {
      Network.Pass pass = new Network.Pass(bnMode, java.util.Set.copyOf(probePoints));
      network.forward(Tensor.fromHost(input), pass, g);
      Map<String, HostTensor> out = new LinkedHashMap<>();
      for (String p : probePoints) {
        out.put(p, pass.recorded.get(p).toHost());
      }
      return out;
    });
  }

  @Override
  public GradientResult gradients(GradientRequest request) {
    guard.requireOpen();
    SessionChecks.requireGradients(spec, request);
    double[] g = toDoubles(request.gatesFor(spec).values());
    PathMask mask = request.pathMaskFor(spec);
    return guarded("gradients", () -> {
      Network.Trace t = network.forward(Tensor.fromHost(request.input()), request.bnMode(), g);
      noteMargin(t);
      Losses.Value objective = objective(request.objective(), t.output);
      Network.Gradients gr = t.backward(objective.gradient(), toDoubles(mask.branchFactors()),
          toDoubles(mask.shortcutFactors()), request.parameterGradients());
      Map<String, HostTensor> params = new LinkedHashMap<>();
      if (request.parameterGradients()) {
        for (ParameterSpec p : spec.trainableParameters()) {
          params.put(p.name(), HostTensor.of(Tensor.toFloats(gr.parameters().get(p.name())), p.shape().dims()));
        }
      }
      return new GradientResult(objective.value(), t.output.toHost(),
          request.inputGradient() ? gr.input().toHost() : null, params);
    });
  }

  @Override
  public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate) {
    guard.requireOpen();
    SessionChecks.requireTrainStep(spec, input, labels, gates, learningRate);
    double[] g = toDoubles(gates.values());
    return guarded("trainStep", () -> {
      Network.Trace t = network.forward(Tensor.fromHost(input), BnMode.TRAIN, g);
      noteMargin(t);
      Losses.Value loss = Losses.crossEntropy(t.output, labels);
      double[] ones = new double[spec.blocks().size()];
      Arrays.fill(ones, 1);
      Network.Gradients gr = t.backward(loss.gradient(), ones, ones, true);
      applySgd(gr.parameters(), learningRate);
      // Only layers that ran recorded statistics: a branch with gate 0 keeps its running statistics.
      for (Network.BatchStats s : t.pass.stats) {
        updateRunning(s);
      }
      if (network.float32Storage()) {
        for (double[] v : values.values()) {
          roundToFloat(v);
        }
        for (double[] v : momentum.values()) {
          roundToFloat(v);
        }
      }
      return new StepResult(loss.value(), t.output.toHost());
    });
  }

  /** The canonical SGD of {@link SgdConfig} on every trainable parameter, in place. */
  private void applySgd(Map<String, double[]> grads, double lr) {
    double mu = sgd.momentum();
    double wd = sgd.weightDecay();
    for (Map.Entry<String, double[]> e : momentum.entrySet()) {
      double[] w = values.get(e.getKey());
      double[] v = e.getValue();
      double[] g = grads.get(e.getKey());
      for (int i = 0; i < w.length; i++) {
        double gi = g[i] + wd * w[i];
        v[i] = mu * v[i] + gi;
        w[i] -= lr * (sgd.nesterov() ? gi + mu * v[i] : v[i]);
      }
    }
  }

  /** {@code running = (1 - m) running + m batch}, with the unbiased batch variance. */
  private void updateRunning(Network.BatchStats s) {
    double m = s.layer().momentum();
    double[] rm = values.get(s.layer().name() + ".running_mean");
    double[] rv = values.get(s.layer().name() + ".running_var");
    for (int c = 0; c < rm.length; c++) {
      rm[c] = (1 - m) * rm[c] + m * s.mean()[c];
      rv[c] = (1 - m) * rv[c] + m * s.varianceUnbiased()[c];
    }
  }

  @Override
  public ModelState readState() {
    guard.requireOpen();
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      out.put(p.name(), HostTensor.of(Tensor.toFloats(values.get(p.name())), p.shape().dims()));
    }
    return new ModelState(spec, out);
  }

  @Override
  public void loadState(ModelState state) {
    guard.requireOpen();
    copyIn(state);
    for (double[] v : momentum.values()) {
      Arrays.fill(v, 0);
    }
  }

  @Override
  public TrainingState readTrainingState() {
    guard.requireOpen();
    Map<String, double[]> v = new LinkedHashMap<>();
    values.forEach((k, a) -> v.put(k, a.clone()));
    Map<String, double[]> m = new LinkedHashMap<>();
    momentum.forEach((k, a) -> m.put(k, a.clone()));
    return new TrainingState(spec, network.float32Storage() ? TrainingState.Precision.FLOAT32
        : TrainingState.Precision.FLOAT64, v, m);
  }

  @Override
  public void loadTrainingState(TrainingState state) {
    guard.requireOpen();
    SessionChecks.requireTrainingStateFor(spec, state);
    state.values().forEach((k, a) -> System.arraycopy(a, 0, values.get(k), 0, a.length));
    state.momentum().forEach((k, a) -> System.arraycopy(a, 0, momentum.get(k), 0, a.length));
    if (network.float32Storage()) {
      values.values().forEach(ReferenceSession::roundToFloat);
      momentum.values().forEach(ReferenceSession::roundToFloat);
    }
  }

  /**
   * The smallest ReLU margin over every pass since the session was opened or since
   * {@link #resetReluMargin()}: for each ReLU, the smallest non-zero {@code |input|} divided by the RMS of that
   * input; infinity if no ReLU ran. A float32 engine's ReLU masks agree with the reference's only where the
   * margin exceeds its relative rounding error (see
   * {@link org.resbench.harness.conformance.Tolerances#RELU_MARGIN}).
   */
  public double reluMargin() {
    guard.requireOpen();
    return reluMargin;
  }

  /** Starts a new {@link #reluMargin()} window. */
  public void resetReluMargin() {
    guard.requireOpen();
    reluMargin = Double.POSITIVE_INFINITY;
  }

  /** The float64 network (package-private: tests differentiate it by finite differences). */
  Network network() {
    return network;
  }

  @Override
  public void close() {
    if (guard.close()) {
      par.close();
    }
  }

  private void copyIn(ModelState state) {
    SessionChecks.requireStateFor(spec, state);
    for (ParameterSpec p : spec.parameters()) {
      float[] src = state.get(p.name()).data();
      double[] dst = values.get(p.name());
      for (int i = 0; i < dst.length; i++) {
        dst[i] = src[i];
      }
    }
  }

  private void noteMargin(Network.Trace t) {
    reluMargin = Math.min(reluMargin, t.pass.reluMargin);
  }

  private static void roundToFloat(double[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) v[i];
    }
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private Losses.Value objective(Objective o, Tensor output) {
    if (o instanceof Objective.CrossEntropy ce) {
      return Losses.crossEntropy(output, ce.labels());
    }
    return Losses.cotangent(output, Tensor.fromHost(((Objective.OutputCotangent) o).cotangent()));
  }

  /** Bad input stays an IllegalArgumentException; anything else that goes wrong inside is a backend failure. */
  private <T> T guarded(String operation, Supplier<T> body) {
    try {
      return body.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendException(backendName, operation + " on '" + spec.name() + "' failed: " + e, e);
    }
  }
}
