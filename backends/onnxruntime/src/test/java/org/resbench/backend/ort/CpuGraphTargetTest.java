package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.backend.ort.onnx.GraphPlan;
import org.resbench.backend.ort.onnx.GraphTarget;
import org.resbench.backend.ort.onnx.SpecGraphs;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * The CPU-specialised graphs ({@link GraphTarget#ortCpu}: activations in ONNX Runtime's channel-blocked layout with
 * the blocked filters computed from the fed weights in every run, training-step weight gradients summed over batch
 * slices) against the portable standard-operator graphs on the same spec, weights and batches: forward passes,
 * gradients in both BatchNorm modes, several training steps (batches not divisible by the number of batch slices, and
 * a small batch whose weight gradients are formed whole), inference after training, and reloading an earlier state.
 * Tolerances as in
 * {@link ReferenceAgreementTest}. Skipped where ONNX Runtime has no NCHWc kernels (its probe reports block size 0).
 */
class CpuGraphTargetTest {
  private static int block() {
    return OrtRuntime.get().nchwcBlock();
  }

  private static OrtModelSession open(ModelSpec spec, ModelState state, SessionOptions options, GraphTarget target) {
    return new OrtModelSession(OrtCpuBackend.NAME, OrtRuntime.get(), false, spec, state, options, target);
  }

  @Test
  void blockedLayoutIsUsedWhereTheSpecAllowsIt() {
    int b = block();
    assumeTrue(b > 0, "this ONNX Runtime has no NCHWc kernels here");
    GraphTarget cpu = GraphTarget.ortCpu(b);
    for (String name : new String[] {"resnet-20", "resnet-8-in3x8x8", "resnet-8-b-in3x7x7", "plain-8-in1x9x9",
        "resnet-11-bottleneck-in3x8x8"}) {
      ModelSpec spec = SpecNames.build(name);
      try (OrtModelSession s = open(spec, Initializer.initialize(spec, 0), SessionOptions.DEFAULT, cpu)) {
        assertTrue(s.usesNchwc(GraphPlan.trainStep(false)), name + " training step");
        assertTrue(s.usesNchwc(GraphPlan.gradients(BnMode.INFERENCE, true, true,
            GraphPlan.ObjectiveKind.CROSS_ENTROPY, true, true)), name + " gradients");
        assertFalse(s.usesNchwc(GraphPlan.activations(BnMode.TRAIN, false)), name + " activations stay NCHW");
      }
    }
    assertEquals(2 * 7, splits("resnet-8-in3x24x24", cpu), "batch slices of x and dY for each of 7 convolutions");
    assertEquals(0, splits("resnet-8-in3x8x8", cpu), "8x8 images: patches small enough for one slice");
    for (String name : new String[] {"resnext-11-2x4d-in3x8x8", "mlp-3x8-res-bn"}) {
      ModelSpec spec = SpecNames.build(name);
      try (OrtModelSession s = open(spec, Initializer.initialize(spec, 0), SessionOptions.DEFAULT, cpu)) {
        assertFalse(s.usesNchwc(GraphPlan.trainStep(false)), name + " (grouped convolutions or no convolutions)");
      }
    }
  }

  /** How many Split nodes (batch slices of a weight gradient's inputs) the training-step graph has. */
  private static long splits(String name, GraphTarget target) {
    return SpecGraphs.build(SpecNames.build(name), GraphPlan.trainStep(false), null, null, SgdConfig.HE_2016, target,
        "test", Map.of()).getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Split")).count();
  }

  static Stream<Arguments> specs() {
    // Plain input with fewer channels than a block (3, 1), and with a whole block (16: converted first); option-A
    // and option-B shortcuts; odd sizes (ConvTranspose output padding); 1x1 bottleneck convolutions.
    // Large enough images for batch-sliced weight gradients in every layer: resnet-8-in3x24x24.
    return Stream.of("resnet-8-in3x8x8", "resnet-8-b-in3x7x7", "plain-8-in1x9x9", "resnet-8-in16x6x6",
        "resnet-11-bottleneck-in3x8x8", "resnet-8-in3x24x24").map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void cpuGraphsAgreeWithPortableGraphs(String name) {
    int b = block();
    assumeTrue(b > 0, "this ONNX Runtime has no NCHWc kernels here");
    ModelSpec spec = SpecNames.build(name);
    ModelState initial = Initializer.initialize(spec, 31);
    SessionOptions options = SessionOptions.builder().optSgd(new SgdConfig(0.9, 5e-4, false)).build();
    BlockGates ones = BlockGates.ones(spec);
    try (OrtModelSession portable = open(spec, initial, options, GraphTarget.PORTABLE);
        OrtModelSession cpu = open(spec, initial, options, GraphTarget.ortCpu(b))) {
      assertTrue(cpu.usesNchwc(GraphPlan.trainStep(false)), name + " runs blocked");
      HostTensor x = OrtTesting.input(spec, 5, 32);
      int[] y = OrtTesting.labels(5, spec.outputs(), 33);
      ReferenceAgreementTest.assertClose(name + " forward (batch statistics)",
          portable.forward(x, BnMode.TRAIN, ones).data(), cpu.forward(x, BnMode.TRAIN, ones).data());
      for (BnMode mode : BnMode.values()) {
        GradientRequest r = GradientRequest.builder(x, Objective.crossEntropy(y)).optBnMode(mode)
            .optInputGradient(true).optParameterGradients(true).build();
        compare(name + " gradients " + mode, portable.gradients(r), cpu.gradients(r));
      }
      // Batches of 17 and 21 against 8 weight-gradient slices (slices of unequal size), of 5 (small batches form
      // weight gradients over the whole batch, in a graph of their own) and of 3 (the standard-operator graph).
      int[] sizes = {17, 5, 3, 21, 17};
      ModelState afterFirst = null;
      for (int step = 0; step < sizes.length; step++) {
        int n = sizes[step];
        HostTensor xs = OrtTesting.input(spec, n, 40 + step);
        int[] ys = OrtTesting.labels(n, spec.outputs(), 50 + step);
        StepResult a = portable.trainStep(xs, ys, ones, 0.1);
        StepResult c = cpu.trainStep(xs, ys, ones, 0.1);
        assertEquals(a.loss(), c.loss(), 1e-5 * Math.max(1, Math.abs(a.loss())), name + " loss at step " + step);
        assertStatesClose(name + " after step " + step, portable.readState(), cpu.readState());
        if (step == 0) {
          afterFirst = cpu.readState();
        }
      }
      // Inference after training: the rebuilt inference graph sees the trained weights.
      HostTensor probe = OrtTesting.input(spec, 4, 60);
      ReferenceAgreementTest.assertClose(name + " inference after training",
          portable.forward(probe, BnMode.INFERENCE, ones).data(), cpu.forward(probe, BnMode.INFERENCE, ones).data());
      // Fed weights are the weights used: going back to the initial state repeats the first step.
      cpu.loadState(initial);
      cpu.trainStep(OrtTesting.input(spec, 17, 40), OrtTesting.labels(17, spec.outputs(), 50), ones, 0.1);
      assertStatesClose(name + " first step again after loadState", afterFirst, cpu.readState());
    }
  }

  private static void assertStatesClose(String what, ModelState expected, ModelState actual) {
    for (String t : expected.tensors().keySet()) {
      ReferenceAgreementTest.assertClose(what + ": " + t, expected.get(t).data(), actual.get(t).data());
    }
  }

  private static void compare(String what, GradientResult a, GradientResult c) {
    assertEquals(a.objective(), c.objective(), 1e-5 * Math.max(1, Math.abs(a.objective())), what + " objective");
    ReferenceAgreementTest.assertClose(what + " logits", a.output().data(), c.output().data());
    double floor = OrtTesting.maxAbs(a.inputGradient().data());
    for (HostTensor t : a.parameterGradients().values()) {
      floor = Math.max(floor, OrtTesting.maxAbs(t.data()));
    }
    floor *= 1e-4; // gradients that are 0 in exact arithmetic come out as float32 cancellation noise
    ReferenceAgreementTest.assertClose(what + " input gradient", a.inputGradient().data(), c.inputGradient().data(),
        floor);
    for (Map.Entry<String, HostTensor> e : a.parameterGradients().entrySet()) {
      ReferenceAgreementTest.assertClose(what + " d/d " + e.getKey(), e.getValue().data(),
          c.parameterGradients().get(e.getKey()).data(), floor);
    }
  }
}
