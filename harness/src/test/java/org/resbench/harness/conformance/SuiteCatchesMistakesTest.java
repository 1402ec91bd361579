package org.resbench.harness.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * The suite's comparisons catch the mistakes a backend is likely to make: each mutant is the reference with
 * one deliberate error in the canonical semantics, and must fail the scenario that covers it (with a message
 * naming the quantity, the tensor and the tolerance) while passing one that does not (so the failure is the
 * mistake's, not the test's).
 */
class SuiteCatchesMistakesTest {
  private static final ModelSpec RESNET = SpecNames.build("resnet-8-in3x8x8");
  private static final ModelSpec PROJECTION = SpecNames.build("resnet-8-b-in3x8x8");
  private static final ModelSpec STOCHASTIC = SpecNames.build("resnet-8-sd-in3x8x8");

  /** The reference with its options or its sessions altered. */
  record Mutant(String name, UnaryOperator<SessionOptions> options, UnaryOperator<Session> wrap) implements Backend {
    @Override
    public String description() {
      return "the reference with a planted mistake";
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Capabilities probe() {
      return new ReferenceBackend().probe();
    }

    @Override
    public Session open(ModelSpec spec, ModelState state, SessionOptions o) {
      return wrap.apply(new ReferenceBackend().open(spec, state, options.apply(o)));
    }
  }

  private static Mutant optionsMutant(String name, UnaryOperator<SgdConfig> sgd) {
    return new Mutant(name, o -> new SessionOptions(o.threads(), sgd.apply(o.sgd())), s -> s);
  }

  private static Mutant sessionMutant(String name, UnaryOperator<Session> wrap) {
    return new Mutant(name, o -> o, wrap);
  }

  private static ScenarioResult run(Backend b, Scenario s, ModelSpec spec) {
    return new ConformanceRunner(b, sgd -> SessionOptions.builder().optSgd(sgd).build(),
        ConformanceRunner.Settings.DEFAULT).run(s, spec);
  }

  private static void assertCaught(Mutant m, Scenario catching, Scenario unrelated, ModelSpec spec, Quantity q,
      String tensor) {
    ScenarioResult bad = run(m, catching, spec);
    String text = bad.describe();
    assertFalse(bad.passed(), m.name() + " should fail " + catching + ":\n" + text);
    assertTrue(text.contains(q.label()) && text.contains("FAILED") && text.contains("'" + tensor + "'")
        && text.contains("max abs error") && text.contains("max rel error") && text.contains("tolerance |error| <="),
        m.name() + ": the report names " + q.label() + ", tensor '" + tensor + "', the errors and the tolerance:\n"
            + text);
    double worst = bad.comparisons().stream().filter(c -> c.quantity() == q)
        .mapToDouble(c -> c.worst().worstRatio()).max().orElse(0);
    assertTrue(worst > 30, m.name() + ": " + q.label() + " misses its bound by a clear factor (worst error/bound "
        + worst + ")");
    ScenarioResult ok = run(m, unrelated, spec);
    assertTrue(ok.passed(), m.name() + " should pass " + unrelated + ":\n" + ok.describe());
  }

  @Test
  void weightDecayLeftOut() {
    assertCaught(optionsMutant("no weight decay", s -> new SgdConfig(s.momentum(), 0, s.nesterov())),
        Scenario.TRAIN_STEP, Scenario.GRADIENTS_CROSS_ENTROPY, RESNET, Quantity.PARAMETER_UPDATE, "stem.conv.weight");
  }

  @Test
  void nesterovIgnored() {
    assertCaught(optionsMutant("Nesterov ignored", s -> new SgdConfig(s.momentum(), s.weightDecay(), false)),
        Scenario.TRAIN_K_STEPS_NESTEROV, Scenario.TRAIN_K_STEPS, RESNET, Quantity.TRAJECTORY_PARAMETERS,
        "stem.conv.weight");
  }

  @Test
  void runningStatisticsWithTheOppositeMomentumConvention() {
    assertCaught(sessionMutant("momentum 0.9 on the batch statistic", s -> new ForwardingSession(s) {
      @Override
      public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double lr) {
        ModelState before = delegate.readState();
        StepResult r = delegate.trainStep(input, labels, gates, lr);
        ModelState after = delegate.readState();
        Map<String, HostTensor> changed = new LinkedHashMap<>(after.tensors());
        for (var p : spec().buffers()) {
          float[] old = before.get(p.name()).data();
          float[] now = after.get(p.name()).data().clone();
          for (int i = 0; i < now.length; i++) {
            double batch = (now[i] - 0.9 * old[i]) / 0.1;
            now[i] = (float) (0.1 * old[i] + 0.9 * batch);
          }
          changed.put(p.name(), HostTensor.of(now, p.shape().dims()));
        }
        delegate.loadState(new ModelState(spec(), changed));
        return r;
      }
    }), Scenario.TRAIN_STEP, Scenario.FORWARD_TRAIN, RESNET, Quantity.RUNNING_STATISTICS, "stem.bn.running_mean");
  }

  @Test
  void zeroGateStillRunsTheBranch() {
    assertCaught(sessionMutant("gate 0 treated as a tiny gate", s -> new ForwardingSession(s) {
      @Override
      public StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double lr) {
        float[] v = gates.values();
        for (int i = 0; i < v.length; i++) {
          v[i] = v[i] == 0 ? 1e-30f : v[i];
        }
        return delegate.trainStep(input, labels, BlockGates.of(v), lr);
      }
    }), Scenario.TRAIN_STEP_ZERO_GATE, Scenario.TRAIN_STEP, PROJECTION, Quantity.RUNNING_STATISTICS,
        "block1.bn1.running_mean");
  }

  @Test
  void pathMaskIgnored() {
    assertCaught(sessionMutant("path mask ignored", s -> new ForwardingSession(s) {
      @Override
      public GradientResult gradients(GradientRequest r) {
        return delegate.gradients(new GradientRequest(r.input(), r.objective(), r.bnMode(), r.gates(), null,
            r.inputGradient(), r.parameterGradients()));
      }
    }), Scenario.GRADIENTS_PATH_MASKED, Scenario.GRADIENTS_CROSS_ENTROPY, PROJECTION, Quantity.MASKED_INPUT_GRADIENT,
        "input (all shortcuts)");
  }

  @Test
  void weightDecayAddedToReportedGradients() {
    assertCaught(sessionMutant("gradients include weight decay", s -> new ForwardingSession(s) {
      @Override
      public GradientResult gradients(GradientRequest r) {
        GradientResult g = delegate.gradients(r);
        ModelState w = delegate.readState();
        Map<String, HostTensor> withDecay = new LinkedHashMap<>();
        g.parameterGradients().forEach((k, t) -> {
          float[] d = t.data().clone();
          for (int i = 0; i < d.length; i++) {
            d[i] += 0.01f * w.get(k).data()[i];
          }
          withDecay.put(k, HostTensor.of(d, t.shape()));
        });
        return new GradientResult(g.objective(), g.output(), g.inputGradient(), withDecay);
      }
    }), Scenario.GRADIENTS_CROSS_ENTROPY, Scenario.TRAIN_STEP, RESNET, Quantity.PARAMETER_GRADIENT,
        "stem.conv.weight");
  }

  @Test
  void fractionalGatesRoundedToOne() {
    assertCaught(sessionMutant("fractional gates treated as 1", s -> new ForwardingSession(s) {
      @Override
      public HostTensor forward(HostTensor input, BnMode mode, BlockGates gates) {
        float[] v = gates.values();
        for (int i = 0; i < v.length; i++) {
          v[i] = v[i] > 0 ? 1 : 0;
        }
        return delegate.forward(input, mode, BlockGates.of(v));
      }
    }), Scenario.FORWARD_INFERENCE, Scenario.FORWARD_TRAIN, STOCHASTIC, Quantity.LOGITS_INFERENCE, "logits");
  }

  @Test
  void inferenceModeNormalisesWithBatchStatistics() {
    assertCaught(sessionMutant("BN inference uses batch statistics", s -> new ForwardingSession(s) {
      @Override
      public HostTensor forward(HostTensor input, BnMode mode, BlockGates gates) {
        return delegate.forward(input, BnMode.TRAIN, gates);
      }
    }), Scenario.FORWARD_INFERENCE, Scenario.FORWARD_TRAIN, RESNET, Quantity.LOGITS_INFERENCE, "logits");
  }

  @Test
  void noiseAtTheLevelOfFloat32RoundingPasses() {
    // Every logit and gradient moved by 2e-6 of (|value| + rms): ten times a float32 engine's typical forward
    // error, well inside every tolerance. Guards against tolerances too tight for real engines.
    Mutant noisy = sessionMutant("float32-level noise", s -> new ForwardingSession(s) {
      private final java.util.SplittableRandom rng = new java.util.SplittableRandom(1);

      @Override
      public HostTensor forward(HostTensor input, BnMode mode, BlockGates gates) {
        return noisy(delegate.forward(input, mode, gates));
      }

      @Override
      public GradientResult gradients(GradientRequest r) {
        GradientResult g = delegate.gradients(r);
        Map<String, HostTensor> p = new LinkedHashMap<>();
        g.parameterGradients().forEach((k, t) -> p.put(k, noisy(t)));
        return new GradientResult(g.objective() * (1 + 2e-6), noisy(g.output()),
            g.inputGradient() == null ? null : noisy(g.inputGradient()), p);
      }

      private HostTensor noisy(HostTensor t) {
        float[] d = t.data().clone();
        double sq = 0;
        for (float v : d) {
          sq += (double) v * v;
        }
        double rms = Math.sqrt(sq / Math.max(1, d.length));
        for (int i = 0; i < d.length; i++) {
          d[i] += (float) (2e-6 * (Math.abs(d[i]) + rms) * (2 * rng.nextDouble() - 1));
        }
        return HostTensor.of(d, t.shape());
      }
    });
    for (Scenario s : new Scenario[] {Scenario.FORWARD_INFERENCE, Scenario.GRADIENTS_CROSS_ENTROPY,
        Scenario.GRADIENTS_PATH_MASKED}) {
      ScenarioResult r = run(noisy, s, PROJECTION);
      assertTrue(r.passed(), r.describe());
    }
  }
}
