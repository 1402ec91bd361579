package org.resbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * The session's semantics beyond raw gradients: float32 against the float64 network, state left alone by
 * forward and gradient calls, path masks, the SGD update, BatchNorm statistics and the zero-gate rule, state
 * round trips, argument checks and the lifecycle. Tolerances are stated per test: float32 work is compared
 * with 1e-5 relative (plus a small absolute term for values near 0), well above float32 rounding through a
 * few dozen layers and far below the size of any semantic mistake.
 */
class PtSessionTest {
  private final DjlPyTorchCpuBackend backend = new DjlPyTorchCpuBackend();
  private final ModelSpec resnet = SpecNames.build("resnet-8-in3x8x8");

  private Session open(ModelSpec spec, ModelState state, SgdConfig sgd) {
    return backend.open(spec, state, SessionOptions.builder().optSgd(sgd).build());
  }

  @Test
  void float32ForwardAgreesWithTheFloat64Network() {
    ModelSpec spec = SpecNames.build("resnet-8-b-in3x8x8");
    ModelState state = DjlTestSupport.state(spec, 1);
    HostTensor x = DjlTestSupport.input(spec, 4, 2);
    BlockGates gates = BlockGates.of(1f, 0.4f, 0f);
    try (Session s = open(spec, state, SgdConfig.HE_2016);
        NDManager m = DjlTestSupport.pytorch().newBaseManager();
        PtNet net = new PtNet(spec, state, m, DataType.FLOAT64)) {
      for (BnMode mode : BnMode.values()) {
        float[] got = s.forward(x, mode, gates).data();
        double[] want;
        try (NDManager step = m.newSubManager()) {
          JniUtils.setGradMode(false);
          want = net.forward(step.create(PtNet.toDouble(x.data()), new Shape(x.longShape())),
              new PtNet.Pass(mode, false, gates.values(), null)).toDoubleArray();
        }
        assertClose("logits, BN " + mode, want, got, 1e-5, 1e-5);
      }
    }
  }

  @Test
  void forwardAndGradientsLeaveTheStateAlone() {
    ModelState state = DjlTestSupport.state(resnet, 3);
    HostTensor x = DjlTestSupport.input(resnet, 4, 4);
    try (Session s = open(resnet, state, SgdConfig.HE_2016)) {
      s.forward(x, BnMode.TRAIN, BlockGates.ones(resnet));
      s.gradients(GradientRequest.builder(x, Objective.crossEntropy(DjlTestSupport.labels(resnet, 4, 5)))
          .optParameterGradients(true).build());
      ModelState after = s.readState();
      for (var e : state.tensors().entrySet()) {
        assertArrayEquals(e.getValue().data(), after.get(e.getKey()).data(), e.getKey());
      }
    }
  }

  @Test
  void pathMaskedGradientsSumToTheFullGradientAndLeaveTheOutputUnchanged() {
    // Backward is linear in the output cotangent, and each block splits it into a branch part and a
    // shortcut part; summing over all 2^3 single-route choices recovers the unmasked input gradient.
    ModelState state = DjlTestSupport.state(resnet, 6);
    HostTensor x = DjlTestSupport.input(resnet, 3, 7);
    Objective o = Objective.crossEntropy(DjlTestSupport.labels(resnet, 3, 8));
    try (Session s = open(resnet, state, SgdConfig.HE_2016)) {
      for (BnMode mode : BnMode.values()) {
        GradientResult full = s.gradients(GradientRequest.builder(x, o).optBnMode(mode)
            .optParameterGradients(true).build());
        double[] sumX = new double[x.size()];
        double[] sumW = new double[full.parameterGradients().get("block1.conv1.weight").size()];
        for (int bits = 0; bits < 8; bits++) {
          Set<Integer> path = new HashSet<>();
          for (int b = 0; b < 3; b++) {
            if ((bits >> b & 1) == 1) {
              path.add(b);
            }
          }
          GradientResult r = s.gradients(GradientRequest.builder(x, o).optBnMode(mode)
              .optPathMask(PathMask.path(resnet, path)).optParameterGradients(true).build());
          assertArrayEquals(full.output().data(), r.output().data(), "masks must not change the forward values");
          add(sumX, r.inputGradient().data());
          add(sumW, r.parameterGradients().get("block1.conv1.weight").data());
        }
        assertClose("sum of path input gradients, BN " + mode, sumX, full.inputGradient().data(), 1e-4, 1e-6);
        // block1's parameters see only the routes through blocks 1 and 2: block 0's two choices count each twice.
        for (int i = 0; i < sumW.length; i++) {
          sumW[i] /= 2;
        }
        assertClose("half the sum of path gradients of block1.conv1.weight, BN " + mode, sumW,
            full.parameterGradients().get("block1.conv1.weight").data(), 1e-4, 1e-6);
        float[] half = new float[3];
        java.util.Arrays.fill(half, 0.5f);
        GradientResult scaled = s.gradients(GradientRequest.builder(x, o).optBnMode(mode)
            .optPathMask(PathMask.of(half, half)).build());
        double[] want = PtNet.toDouble(full.inputGradient().data());
        for (int i = 0; i < want.length; i++) {
          want[i] *= 0.125; // three blocks, each halving both routes
        }
        assertClose("input gradient with every route at 0.5, BN " + mode, want, scaled.inputGradient().data(), 1e-4,
            1e-7);
      }
    }
  }

  @Test
  void inputOnlyAndFullRequestsAgree() {
    ModelState state = DjlTestSupport.state(resnet, 9);
    HostTensor x = DjlTestSupport.input(resnet, 2, 10);
    Objective o = Objective.sumOfOutputs(2, resnet.outputs());
    try (Session s = open(resnet, state, SgdConfig.HE_2016)) {
      GradientResult a = s.gradients(GradientRequest.builder(x, o).optBnMode(BnMode.INFERENCE).build());
      GradientResult b = s.gradients(GradientRequest.builder(x, o).optBnMode(BnMode.INFERENCE)
          .optParameterGradients(true).build());
      GradientResult c = s.gradients(GradientRequest.builder(x, o).optBnMode(BnMode.INFERENCE)
          .optInputGradient(false).optParameterGradients(true).build());
      assertArrayEquals(a.inputGradient().data(), b.inputGradient().data());
      assertTrue(a.parameterGradients().isEmpty());
      assertEquals(resnet.trainableParameters().size(), b.parameterGradients().size());
      assertEquals(null, c.inputGradient());
      for (var e : b.parameterGradients().entrySet()) {
        assertArrayEquals(e.getValue().data(), c.parameterGradients().get(e.getKey()).data(), e.getKey());
      }
      double sum = 0;
      for (float v : a.output().data()) {
        sum += v;
      }
      assertEquals(sum, a.objective(), 1e-5 * Math.abs(sum) + 1e-6, "objective = sum of outputs");
    }
  }

  @Test
  void trainStepAppliesTheCanonicalSgdUpdate() {
    for (SgdConfig sgd : new SgdConfig[] {new SgdConfig(0.9, 1e-3, false), new SgdConfig(0.9, 1e-3, true),
        new SgdConfig(0, 0, false)}) {
      ModelState state = DjlTestSupport.state(resnet, 12);
      HostTensor x1 = DjlTestSupport.input(resnet, 4, 13);
      HostTensor x2 = DjlTestSupport.input(resnet, 4, 14);
      int[] l1 = DjlTestSupport.labels(resnet, 4, 15);
      int[] l2 = DjlTestSupport.labels(resnet, 4, 16);
      BlockGates gates = BlockGates.of(1f, 0f, 1f);
      double lr1 = 0.1;
      double lr2 = 0.05;
      try (Session s = open(resnet, state, sgd)) {
        GradientResult g1 = s.gradients(GradientRequest.builder(x1, Objective.crossEntropy(l1)).optGates(gates)
            .optInputGradient(false).optParameterGradients(true).build());
        double loss = s.trainStep(x1, l1, gates, lr1).loss();
        assertEquals(g1.objective(), loss, 1e-6, "loss before the update");
        ModelState w1 = s.readState();
        GradientResult g2 = s.gradients(GradientRequest.builder(x2, Objective.crossEntropy(l2)).optGates(gates)
            .optInputGradient(false).optParameterGradients(true).build());
        s.trainStep(x2, l2, gates, lr2);
        ModelState w2 = s.readState();
        for (var p : resnet.trainableParameters()) {
          String n = p.name();
          float[] w0 = state.get(n).data();
          double[] v = new double[w0.length];
          double[] want1 = new double[w0.length];
          double[] want2 = new double[w0.length];
          float[] a = g1.parameterGradients().get(n).data();
          float[] b = g2.parameterGradients().get(n).data();
          float[] w1n = w1.get(n).data();
          for (int i = 0; i < w0.length; i++) {
            double gp = a[i] + sgd.weightDecay() * w0[i];
            v[i] = gp;
            want1[i] = w0[i] - lr1 * (sgd.nesterov() ? gp + sgd.momentum() * v[i] : v[i]);
            double gp2 = b[i] + sgd.weightDecay() * w1n[i];
            v[i] = sgd.momentum() * v[i] + gp2;
            want2[i] = w1n[i] - lr2 * (sgd.nesterov() ? gp2 + sgd.momentum() * v[i] : v[i]);
          }
          assertClose(n + " after step 1 with " + sgd, want1, w1n, 1e-5, 1e-6);
          assertClose(n + " after step 2 with " + sgd, want2, w2.get(n).data(), 1e-5, 1e-6);
        }
      }
    }
  }

  @Test
  void trainStepUpdatesBatchNormStatisticsExceptInBlocksWithGateZero() {
    ModelSpec mlp = SpecNames.build("mlp-2x4-res-bn");
    ModelState state = DjlTestSupport.state(mlp, 17);
    HostTensor x = DjlTestSupport.input(mlp, 6, 18);
    int[] labels = new int[6];
    double lr = 0.1;
    SgdConfig sgd = new SgdConfig(0.9, 1e-2, false);
    try (Session s = open(mlp, state, sgd)) {
      s.trainStep(x, labels, BlockGates.of(1f, 0f), lr);
      ModelState after = s.readState();
      // block0.bn sees stem.fc(x) = x w + b: running = 0.9 running + 0.1 batch (unbiased variance).
      float[] w = state.get("stem.fc.weight").data();
      float[] b = state.get("stem.fc.bias").data();
      double[] wantMean = new double[4];
      double[] wantVar = new double[4];
      for (int c = 0; c < 4; c++) {
        double mean = 0;
        for (int i = 0; i < 6; i++) {
          mean += (x.data()[i] * w[c] + b[c]) / 6;
        }
        double ss = 0;
        for (int i = 0; i < 6; i++) {
          double d = x.data()[i] * w[c] + b[c] - mean;
          ss += d * d;
        }
        wantMean[c] = 0.9 * state.get("block0.bn.running_mean").data()[c] + 0.1 * mean;
        wantVar[c] = 0.9 * state.get("block0.bn.running_var").data()[c] + 0.1 * ss / 5;
      }
      assertClose("block0.bn.running_mean", wantMean, after.get("block0.bn.running_mean").data(), 1e-5, 1e-6);
      assertClose("block0.bn.running_var", wantVar, after.get("block0.bn.running_var").data(), 1e-5, 1e-6);
      // block1 has gate 0: its statistics stay, its parameters only decay (zero gradient, v = wd w).
      assertArrayEquals(state.get("block1.bn.running_mean").data(), after.get("block1.bn.running_mean").data());
      assertArrayEquals(state.get("block1.bn.running_var").data(), after.get("block1.bn.running_var").data());
      for (String n : new String[] {"block1.bn.gamma", "block1.bn.beta", "block1.fc.weight", "block1.fc.bias"}) {
        float[] w0 = state.get(n).data();
        double[] want = new double[w0.length];
        for (int i = 0; i < w0.length; i++) {
          want[i] = w0[i] - lr * sgd.weightDecay() * w0[i];
        }
        assertClose(n + " under gate 0", want, after.get(n).data(), 1e-6, 1e-7);
      }
      assertTrue(!java.util.Arrays.equals(state.get("head.bn.running_mean").data(),
          after.get("head.bn.running_mean").data()), "head.bn statistics must move");
    }
  }

  @Test
  void loadStateRestoresWeightsAndResetsMomentum() {
    ModelState state = DjlTestSupport.state(resnet, 19);
    HostTensor x = DjlTestSupport.input(resnet, 4, 20);
    int[] l = DjlTestSupport.labels(resnet, 4, 21);
    try (Session a = open(resnet, state, SgdConfig.HE_2016); Session b = open(resnet, state, SgdConfig.HE_2016)) {
      a.trainStep(x, l, BlockGates.ones(resnet), 0.1);
      a.trainStep(x, l, BlockGates.ones(resnet), 0.1);
      a.loadState(state);
      for (var e : state.tensors().entrySet()) {
        assertArrayEquals(e.getValue().data(), a.readState().get(e.getKey()).data(), e.getKey());
      }
      a.trainStep(x, l, BlockGates.ones(resnet), 0.1);
      b.trainStep(x, l, BlockGates.ones(resnet), 0.1);
      ModelState sa = a.readState();
      ModelState sb = b.readState();
      for (String n : sa.tensors().keySet()) {
        assertArrayEquals(sb.get(n).data(), sa.get(n).data(), n + ": a step after loadState equals a first step");
      }
    }
  }

  @Test
  void bareInferenceRunsTheSameNetwork() {
    ModelState state = DjlTestSupport.state(resnet, 22);
    HostTensor x = DjlTestSupport.input(resnet, 2, 23);
    try (Session s = open(resnet, state, SgdConfig.HE_2016);
        BareInference bare = backend.bareInference(resnet, state, x, SessionOptions.DEFAULT).orElseThrow()) {
      float first = s.forward(x, BnMode.INFERENCE, BlockGates.ones(resnet)).data()[0];
      assertEquals(first, bare.runOnce(), 0);
      assertEquals(first, bare.runOnce(), 0);
      bare.close();
      bare.close();
      assertThrows(IllegalStateException.class, bare::runOnce);
    }
  }

  @Test
  void activationsReportTheValuesAtProbePoints() {
    ModelState state = DjlTestSupport.state(resnet, 26);
    HostTensor x = DjlTestSupport.input(resnet, 3, 27);
    BlockGates gates = BlockGates.of(1f, 0.5f, 0f);
    try (Session s = open(resnet, state, SgdConfig.HE_2016)) {
      for (BnMode mode : BnMode.values()) {
        var acts = s.activations(x, mode, gates, java.util.List.of("head/1", "block0", "block1/merge",
            "block1/shortcut/0", "block1/branch/4", "block2/merge", "block2/branch/2", "block2/shortcut/0"));
        assertEquals(java.util.List.of("head/1", "block0", "block1/merge", "block1/shortcut/0", "block1/branch/4",
            "block2/merge", "block2/branch/2", "block2/shortcut/0"), java.util.List.copyOf(acts.keySet()),
                "order asked");
        assertArrayEquals(s.forward(x, mode, gates).data(), acts.get("head/1").data(), "head/1 is the output");
        assertArrayEquals(new int[] {3, 32, 4, 4}, acts.get("block1/merge").shape());
        // Residual merge with gate 0.5: S(x) + 0.5 F(x).
        float[] merge = acts.get("block1/merge").data();
        float[] sc = acts.get("block1/shortcut/0").data();
        float[] f = acts.get("block1/branch/4").data();
        double[] want = new double[merge.length];
        for (int i = 0; i < want.length; i++) {
          want[i] = sc[i] + 0.5 * f[i];
        }
        assertClose("block1/merge, BN " + mode, want, merge, 1e-6, 1e-6);
        // Gate 0: the merge is the (option-A) shortcut, the branch is still reported.
        assertArrayEquals(acts.get("block2/shortcut/0").data(), acts.get("block2/merge").data());
        for (float v : acts.get("block2/branch/2").data()) {
          assertTrue(v >= 0, "block2/branch/2 is a ReLU output");
        }
      }
      ModelState after = s.readState();
      for (var e : state.tensors().entrySet()) {
        assertArrayEquals(e.getValue().data(), after.get(e.getKey()).data(), e.getKey() + " unchanged");
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> s.activations(x, BnMode.TRAIN, BlockGates.ones(resnet), java.util.List.of("block9")));
      assertTrue(e.getMessage().contains("no probe point 'block9'"), e.getMessage());
    }
  }

  @Test
  void badInputIsRejectedWithTheFieldAndTheAllowedValues() {
    ModelState state = DjlTestSupport.state(resnet, 24);
    BlockGates ones = BlockGates.ones(resnet);
    try (Session s = open(resnet, state, SgdConfig.HE_2016)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> s.forward(HostTensor.zeros(2, 3, 4, 4), BnMode.INFERENCE, ones));
      assertTrue(e.getMessage().contains("input shape [2, 3, 4, 4]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> s.forward(HostTensor.zeros(2, 3, 8, 8), BnMode.INFERENCE, BlockGates.of(1f)));
      assertTrue(e.getMessage().contains("one per block"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> s.trainStep(HostTensor.zeros(2, 3, 8, 8), new int[] {0, 10}, ones, 0.1));
      assertTrue(e.getMessage().contains("label 10"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> s.trainStep(HostTensor.zeros(2, 3, 8, 8), new int[] {0, 1}, ones, Double.NaN));
      assertTrue(e.getMessage().startsWith("learningRate=NaN"), e.getMessage());
      ModelState other = DjlTestSupport.state(SpecNames.build("resnet-8-in3x16x16"), 1);
      e = assertThrows(IllegalArgumentException.class, () -> s.loadState(other));
      assertTrue(e.getMessage().contains("allowed: a state of 'resnet-8-in3x8x8'"), e.getMessage());
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFail() {
    Session s = open(resnet, DjlTestSupport.state(resnet, 25), SgdConfig.HE_2016);
    assertEquals("djl-pytorch-cpu", s.backendName());
    s.close();
    s.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> s.forward(HostTensor.zeros(1, 3, 8, 8), BnMode.INFERENCE, BlockGates.ones(resnet)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, s::readState);
  }

  private static void add(double[] sum, float[] v) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += v[i];
    }
  }

  /** Every element within {@code rel * max|want| + abs}; the message names the worst element. */
  static void assertClose(String what, double[] want, float[] got, double rel, double abs) {
    assertEquals(want.length, got.length, what + ": length");
    double scale = 0;
    for (double w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    double tol = rel * scale + abs;
    int worst = -1;
    double err = 0;
    for (int i = 0; i < want.length; i++) {
      double e = Math.abs(want[i] - got[i]);
      if (!(e <= err)) {
        err = e;
        worst = i;
      }
    }
    final int w = worst;
    final double maxErr = err;
    assertTrue(maxErr <= tol, () -> what + ": element " + w + " is " + got[w] + ", expected " + want[w]
        + " (max abs error " + maxErr + " > tolerance " + tol + ")");
  }

  static void assertClose(String what, double[] want, float[] got) {
    assertClose(what, want, got, 1e-5, 1e-6);
  }

}
