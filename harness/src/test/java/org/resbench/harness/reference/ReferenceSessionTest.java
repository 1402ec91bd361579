package org.resbench.harness.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.conformance.ConformanceFixtures;
import org.resbench.harness.data.Batch;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.Linear;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * The reference session's own arithmetic, against hand computations: the SGD update (plain and Nesterov,
 * weight decay on every parameter), the running-statistics update, the zero-gate rule, float32 rounding at
 * the boundary, determinism across thread counts, and its argument checks.
 */
class ReferenceSessionTest {
  private final ReferenceBackend backend = new ReferenceBackend();

  @Test
  void probeDeclaresEverythingAndServiceLoaderFindsIt() {
    var caps = backend.probe();
    assertTrue(caps.available());
    assertEquals(ReferenceBackend.ENGINE, caps.engine());
    assertEquals(Device.CPU, caps.device());
    for (Capability c : Capability.values()) {
      assertTrue(caps.can(c), c.name());
    }
    assertEquals(ReferenceBackend.class, Backends.discover().get("reference").getClass());
  }

  @Test
  void sgdFollowsTheCanonicalUpdateOnEveryTrainableParameter() {
    for (boolean nesterov : new boolean[] {false, true}) {
      ModelSpec spec = SpecNames.build("resnet-8-sd-in3x8x8");
      SgdConfig sgd = new SgdConfig(0.9, 0.05, nesterov);
      ModelState s0 = ConformanceFixtures.state(spec, 3);
      BlockGates gates = BlockGates.of(1, 0, 1);
      double[] lrs = {0.1, 0.03};
      try (ReferenceSession s = backend.open(spec, s0.copy(), SessionOptions.builder().optSgd(sgd).build())) {
        Map<String, double[]> w = Nets.values(s0);
        Map<String, double[]> v = new java.util.HashMap<>();
        for (int step = 0; step < 2; step++) {
          Batch b = ConformanceFixtures.batch(spec, 4, 3, step);
          // The gradient the step must use: of the loss alone, at the current weights, with the step's gates.
          Map<String, double[]> g = doubleGradients(s, b, gates);
          s.trainStep(b.input(), b.labels(), gates, lrs[step]);
          for (ParameterSpec p : spec.trainableParameters()) {
            double[] wp = w.get(p.name());
            double[] vp = v.computeIfAbsent(p.name(), k -> new double[wp.length]);
            for (int i = 0; i < wp.length; i++) {
              double gi = g.get(p.name())[i] + sgd.weightDecay() * wp[i];
              vp[i] = sgd.momentum() * vp[i] + gi;
              wp[i] -= lrs[step] * (nesterov ? gi + sgd.momentum() * vp[i] : vp[i]);
            }
            double[] actual = s.network().values().get(p.name());
            for (int i = 0; i < wp.length; i++) {
              assertEquals(wp[i], actual[i], 1e-12 * (1 + Math.abs(wp[i])), p.name() + "[" + i + "] after step "
                  + step + (nesterov ? " (Nesterov)" : ""));
            }
          }
        }
        // Block 1 was gated to 0 in both steps: its branch moved by weight decay and momentum alone.
        double[] w0 = Nets.values(s0).get("block1.conv1.weight");
        double[] w2 = s.network().values().get("block1.conv1.weight");
        double decay0 = nesterov ? 1 - lrs[0] * 0.05 * 1.9 : 1 - lrs[0] * 0.05;
        assertNotEquals(w0[0], w2[0]);
        assertTrue(Math.abs(w2[0]) < Math.abs(w0[0] * decay0) + 1e-15, "only shrunk by weight decay");
      }
    }
  }

  /** Parameter gradients in float64 from the session's own network (gradients() rounds to float32). */
  private static Map<String, double[]> doubleGradients(ReferenceSession s, Batch b, BlockGates gates) {
    float[] gf = gates.values();
    double[] g = new double[gf.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = gf[i];
    }
    Network.Trace t = s.network().forward(Tensor.fromHost(b.input()), BnMode.TRAIN, g);
    Tensor d = Losses.crossEntropy(t.output, b.labels()).gradient();
    return t.backward(d, Nets.ones(g.length), Nets.ones(g.length), true).parameters();
  }

  @Test
  void runningStatisticsUseMomentumPointOneAndTheUnbiasedVariance() {
    // BatchNorm right at the input, so the batch statistics can be computed here from the input itself.
    ModelSpec spec = Nets.layers("bn-first", Shape.of(2, 3, 1), BatchNorm.of("bn", 2));
    spec = new ModelSpec("bn-then-linear", spec.family(), spec.inputShape(), spec.stem(), List.of(),
        List.of(new org.resbench.harness.spec.Flatten(), new Linear("fc", 6, 3, true)), spec.init());
    ModelState state = ConformanceFixtures.state(spec, 5);
    Batch b = ConformanceFixtures.batch(spec, 5, 5, 0);
    try (ReferenceSession s = backend.open(spec, state.copy(), SessionOptions.DEFAULT)) {
      s.forward(b.input(), BnMode.TRAIN, BlockGates.ones(spec));
      assertArrayEquals(state.get("bn.running_var").data(), s.readState().get("bn.running_var").data(),
          "a TRAIN-mode forward leaves the running statistics alone");
      s.trainStep(b.input(), b.labels(), BlockGates.ones(spec), 0.1);
      ModelState after = s.readState();
      float[] x = b.input().data();
      for (int c = 0; c < 2; c++) {
        double sum = 0;
        int m = 0;
        for (int n = 0; n < 5; n++) {
          for (int j = 0; j < 3; j++) {
            sum += x[(n * 2 + c) * 3 + j];
            m++;
          }
        }
        double mean = sum / m;
        double sq = 0;
        for (int n = 0; n < 5; n++) {
          for (int j = 0; j < 3; j++) {
            double d = x[(n * 2 + c) * 3 + j] - mean;
            sq += d * d;
          }
        }
        double rm = 0.9 * state.get("bn.running_mean").data()[c] + 0.1 * mean;
        double rv = 0.9 * state.get("bn.running_var").data()[c] + 0.1 * sq / (m - 1);
        assertEquals((float) rm, after.get("bn.running_mean").data()[c], "running mean of channel " + c);
        assertEquals((float) rv, after.get("bn.running_var").data()[c], "running var of channel " + c);
      }
    }
  }

  @Test
  void aZeroGateKeepsTheBranchStatisticsAndAFractionalGateDoesNot() {
    ModelSpec spec = SpecNames.build("resnet-8-b-in3x8x8");
    ModelState state = ConformanceFixtures.state(spec, 7);
    Batch b = ConformanceFixtures.batch(spec, 4, 7, 0);
    try (ReferenceSession s = backend.open(spec, state.copy(), SessionOptions.DEFAULT)) {
      s.trainStep(b.input(), b.labels(), BlockGates.of(1, 0, 0.5f), 0.1);
      ModelState after = s.readState();
      for (String t : List.of("block1.bn1.running_mean", "block1.bn2.running_var")) {
        assertArrayEquals(state.get(t).data(), after.get(t).data(), t + ": branch of a block with gate 0");
      }
      for (String t : List.of("block1.shortcut.bn.running_mean", "block2.bn1.running_var", "block0.bn2.running_mean",
          "stem.bn.running_var")) {
        assertNotEquals(state.get(t).data()[0], after.get(t).data()[0], t + ": ran, so updated");
      }
    }
  }

  @Test
  void resultsAreIdenticalForAnyThreadCount() {
    ModelSpec spec = SpecNames.build("resnext-11-2x4d-in3x8x8");
    ModelState state = ConformanceFixtures.state(spec, 9);
    Batch b = ConformanceFixtures.batch(spec, 3, 9, 0);
    GradientResult[] results = new GradientResult[3];
    int[] threads = {1, 2, 0};
    for (int i = 0; i < 3; i++) {
      try (ReferenceSession s = backend.open(spec, state.copy(), SessionOptions.builder().optThreads(threads[i])
          .build())) {
        results[i] = s.gradients(GradientRequest.builder(b.input(), Objective.crossEntropy(b.labels()))
            .optParameterGradients(true).build());
      }
    }
    for (int i = 1; i < 3; i++) {
      assertArrayEquals(results[0].inputGradient().data(), results[i].inputGradient().data(), "input gradient");
      for (String k : results[0].parameterGradients().keySet()) {
        assertArrayEquals(results[0].parameterGradients().get(k).data(), results[i].parameterGradients().get(k).data(),
            k);
      }
    }
  }

  @Test
  void float32BoundaryRoundsToNearest() {
    ModelSpec spec = SpecNames.build("mlp-2x4-res-in3-out2");
    ModelState state = ConformanceFixtures.state(spec, 1);
    Batch b = ConformanceFixtures.batch(spec, 3, 1, 0);
    try (ReferenceSession s = backend.open(spec, state.copy(), SessionOptions.DEFAULT)) {
      HostTensor out = s.forward(b.input(), BnMode.INFERENCE, BlockGates.ones(spec));
      double[] exact = s.network().forward(Tensor.fromHost(b.input()), BnMode.INFERENCE, Nets.ones(2)).output.data;
      for (int i = 0; i < exact.length; i++) {
        assertEquals((float) exact[i], out.data()[i]);
      }
      s.trainStep(b.input(), b.labels(), BlockGates.ones(spec), 0.5);
      double[] w = s.network().values().get("block0.fc.weight");
      float[] read = s.readState().get("block0.fc.weight").data();
      for (int i = 0; i < w.length; i++) {
        assertEquals((float) w[i], read[i], "readState rounds the float64 weights");
      }
    }
  }

  @Test
  void badArgumentsNameTheFieldAndWhatIsAllowed() {
    ModelSpec spec = SpecNames.build("mlp-2x4-res-bn-in3-out2");
    ModelState state = ConformanceFixtures.state(spec, 1);
    Batch one = ConformanceFixtures.batch(spec, 1, 1, 0);
    try (ReferenceSession s = backend.open(spec, state.copy(), SessionOptions.DEFAULT)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> s.trainStep(one.input(), one.labels(), BlockGates.ones(spec), 0.1));
      assertTrue(e.getMessage().contains("BatchNorm 'stem.fc") || e.getMessage().contains("BatchNorm 'block0.bn'"),
          e.getMessage());
      assertTrue(e.getMessage().contains("allowed: at least 2 values per channel"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> s.forward(one.input(), BnMode.TRAIN, null));
      assertEquals("gates=null; allowed: one gate per block, e.g. BlockGates.ones(spec)", e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> s.trainStep(one.input(), one.labels(), BlockGates.ones(spec), -1));
      assertEquals("learningRate=-1.0; allowed: a finite value >= 0", e.getMessage());
      ModelSpec other = SpecNames.build("mlp-2x4-res-in3-out2");
      e = assertThrows(IllegalArgumentException.class, () -> s.loadState(ConformanceFixtures.state(other, 1)));
      assertTrue(e.getMessage().startsWith("model state is for spec 'mlp-2x4-res-in3-out2'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> backend.open(spec, null, SessionOptions.DEFAULT));
  }
}
