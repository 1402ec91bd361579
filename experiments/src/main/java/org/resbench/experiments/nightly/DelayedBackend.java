package org.resbench.experiments.nightly;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * A real backend made slower by a known fraction, for calibrating regression detection: every forward pass,
 * gradient and training step of its sessions runs on the wrapped backend, then waits {@code fraction} times the
 * time that call took (parking, then spinning for the last few microseconds), so a measured slowdown is exactly
 * the injected one plus the real call's own noise. Same name and capabilities as the wrapped backend. Immutable
 * and thread-safe; its sessions are as thread-safe as the wrapped ones.
 *
 * @param inner the real backend
 * @param fraction the added time as a fraction of each call's own (0.10 = 10% slower)
 */
public record DelayedBackend(Backend inner, double fraction) implements Backend {

  public DelayedBackend {
    if (!(fraction >= 0 && fraction < 100)) {
      throw new IllegalArgumentException("slowdown=" + fraction + "; allowed: a fraction >= 0, e.g. 0.1");
    }
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public String description() {
    return inner.description() + String.format(java.util.Locale.ROOT, " (slowed by %.1f%% for calibration)",
        100 * fraction);
  }

  @Override
  public Device device() {
    return inner.device();
  }

  @Override
  public Capabilities probe() {
    return inner.probe();
  }

  @Override
  public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
    return new Delayed(inner.open(spec, state, options), fraction);
  }

  /** Waits until {@code nanos} have passed after {@code from} (a {@link System#nanoTime()} reading). */
  static void waitUntil(long from, long nanos) {
    long deadline = from + nanos;
    long left;
    while ((left = deadline - System.nanoTime()) > 50_000) {
      LockSupport.parkNanos(left - 40_000);
    }
    while (System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  /** The wrapped session with the delay after each computing call. */
  private static final class Delayed implements Session {
    private final Session inner;
    private final double fraction;

    Delayed(Session inner, double fraction) {
      this.inner = inner;
      this.fraction = fraction;
    }

    private <T> T slowed(Supplier<T> call) {
      long t0 = System.nanoTime();
      T out = call.get();
      long took = System.nanoTime() - t0;
      waitUntil(System.nanoTime(), (long) (took * fraction));
      return out;
    }

    @Override
    public ModelSpec spec() {
      return inner.spec();
    }

    @Override
    public String backendName() {
      return inner.backendName();
    }

    @Override
    public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates) {
      return slowed(() -> inner.forward(input, bnMode, gates));
    }

    @Override
    public GradientResult gradients(GradientRequest request) {
      return slowed(() -> inner.gradients(request));
    }

    @Override
    public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate) {
      return slowed(() -> inner.trainStep(input, labels, gates, learningRate));
    }

    @Override
    public Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
        List<String> probePoints) {
      return slowed(() -> inner.activations(input, bnMode, gates, probePoints));
    }

    @Override
    public ModelState readState() {
      return inner.readState();
    }

    @Override
    public void loadState(ModelState state) {
      inner.loadState(state);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
