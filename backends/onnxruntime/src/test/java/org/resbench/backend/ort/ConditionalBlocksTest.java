package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
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
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * Gated training steps whose blocks run their branches inside ONNX {@code If} nodes ({@link
 * GraphTarget#conditionalBlocks}) against the same steps computed with every branch (the gate multiplying it): the
 * graphs have one {@code If} per block in the forward and one in the backward pass, and only where they should; over
 * several steps with gates of 0 (dropped blocks), fractional gates and 1, on the portable and the CPU target and for
 * every block kind (option A and B shortcuts, plain, bottleneck, pre-activation MLP blocks), losses and training states
 * agree within {@link ReferenceAgreementTest}'s tolerances, and the tensors a dropped block must keep (its branch's
 * BatchNorm statistics) and the parameters of branches dropped in every step (updated by weight decay and momentum
 * only) agree exactly.
 */
class ConditionalBlocksTest {

  private static long ifNodes(ModelSpec spec, GraphPlan plan, GraphTarget target) {
    OnnxMl.ModelProto m = SpecGraphs.build(spec, plan, null, null, SgdConfig.HE_2016, target, "test", Map.of());
    return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("If")).count();
  }

  @Test
  void onlyGatedTrainingStepsBranch() {
    ModelSpec spec = SpecNames.build("resnet-8-sd-in3x8x8");
    int blocks = spec.blocks().size();
    GraphTarget on = GraphTarget.PORTABLE;
    assertEquals(2 * blocks, ifNodes(spec, GraphPlan.trainStep(true), on), "forward and backward If per block");
    assertEquals(2 * blocks, ifNodes(spec, GraphPlan.trainStep(true), GraphTarget.ortCpu(8)), "blocked graphs too");
    assertEquals(0, ifNodes(spec, GraphPlan.trainStep(false), on), "all gates 1: no conditions");
    assertEquals(0, ifNodes(spec, GraphPlan.trainStep(true), on.withConditionalBlocks(false)), "switched off");
    assertEquals(0, ifNodes(spec, GraphPlan.gradients(BnMode.TRAIN, true, false,
        GraphPlan.ObjectiveKind.CROSS_ENTROPY, true, true), on), "gradient graphs compute every branch");
    assertEquals(0, ifNodes(spec, GraphPlan.forward(BnMode.TRAIN, true), on), "forward graphs compute every branch");
  }

  static Stream<Arguments> cases() {
    int b = OrtRuntime.get().nchwcBlock();
    Stream<Arguments> portable = Stream.of("resnet-8-sd-in3x8x8", "resnet-8-b-in3x7x7", "plain-8-in1x9x9",
        "resnet-11-bottleneck-in3x8x8", "mlp-3x8-res-bn", "mlp-3x8-ff-post-bias")
        .map(s -> Arguments.of(s, "portable", GraphTarget.PORTABLE));
    Stream<Arguments> cpu = b == 0 ? Stream.empty() : Stream.of("resnet-8-sd-in3x8x8", "resnet-8-b-in3x7x7",
        "plain-8-in1x9x9", "resnet-8-in3x24x24").map(s -> Arguments.of(s, "cpu", GraphTarget.ortCpu(b)));
    return Stream.concat(portable, cpu);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void skippedBranchesTrainAsComputedOnes(String name, String targetName, GraphTarget target) {
    ModelSpec spec = SpecNames.build(name);
    int nb = spec.blocks().size();
    ModelState initial = Initializer.initialize(spec, 7);
    SessionOptions options = SessionOptions.builder().optSgd(new SgdConfig(0.9, 5e-4, true)).build();
    float[][] gates = new float[4][nb];
    for (int i = 0; i < nb; i++) {
      gates[0][i] = i % 2; // every other block dropped
      gates[1][i] = i == 0 ? 0 : 1; // one dropped, the others on
      gates[2][i] = i % 2 == 0 ? 0 : 0.6f; // dropped and fractional (inference-style) gates
      gates[3][i] = i % 2; // block 0 dropped in every step but the third
    }
    try (OrtModelSession computed = open(spec, initial, options, target.withConditionalBlocks(false));
        OrtModelSession skipping = open(spec, initial, options, target)) {
      // 24x24 images: batch-sliced weight gradients inside the conditional branches.
      int n = name.contains("24x24") ? 17 : 6;
      for (int step = 0; step < gates.length; step++) {
        HostTensor x = OrtTesting.input(spec, n, 70 + step);
        int[] y = OrtTesting.labels(n, spec.outputs(), 80 + step);
        BlockGates g = BlockGates.of(gates[step]);
        StepResult a = computed.trainStep(x, y, g, 0.05);
        StepResult c = skipping.trainStep(x, y, g, 0.05);
        assertEquals(a.loss(), c.loss(), 1e-5 * Math.max(1, Math.abs(a.loss())), name + " loss at step " + step);
        ReferenceAgreementTest.assertClose(name + " logits at step " + step, a.logits().data(), c.logits().data());
        TrainingState ta = computed.readTrainingState();
        TrainingState tc = skipping.readTrainingState();
        for (String t : ta.values().keySet()) {
          ReferenceAgreementTest.assertClose(name + " " + t + " after step " + step, narrow(ta.values().get(t)),
              narrow(tc.values().get(t)));
        }
        for (String t : ta.momentum().keySet()) {
          ReferenceAgreementTest.assertClose(name + " momentum of " + t + " after step " + step,
              narrow(ta.momentum().get(t)), narrow(tc.momentum().get(t)));
        }
      }
      // Block 0's branch was dropped in steps 0, 1 and 3 and ran in step 2: its statistics moved once, the same in
      // both sessions; a branch dropped in every step (block 0 is, in the first two steps) keeps its statistics
      // exactly.
      ModelState after = skipping.readState();
      ModelState ref = computed.readState();
      Block first = spec.blocks().get(0);
      for (String t : after.tensors().keySet()) {
        if (t.startsWith(first.name() + ".") && (t.endsWith(".running_mean") || t.endsWith(".running_var"))
            && !isShortcut(first, t)) {
          ReferenceAgreementTest.assertClose(name + " statistics " + t, ref.get(t).data(), after.get(t).data());
        }
      }
    }
    try (OrtModelSession skipping = open(spec, initial, options, target)) {
      float[] dropFirst = new float[nb];
      java.util.Arrays.fill(dropFirst, 1f);
      dropFirst[0] = 0;
      for (int step = 0; step < 2; step++) {
        skipping.trainStep(OrtTesting.input(spec, 6, 90 + step), OrtTesting.labels(6, spec.outputs(), 91 + step),
            BlockGates.of(dropFirst), 0.05);
      }
      ModelState after = skipping.readState();
      Block first = spec.blocks().get(0);
      for (String t : after.tensors().keySet()) {
        if (t.startsWith(first.name() + ".") && (t.endsWith(".running_mean") || t.endsWith(".running_var"))
            && !isShortcut(first, t)) {
          assertArrayEquals(initial.get(t).data(), after.get(t).data(), name + ": " + t + " of a dropped branch");
        }
      }
    }
  }

  /** Whether tensor {@code t} belongs to a layer of {@code b}'s shortcut (which runs whatever the gate). */
  private static boolean isShortcut(Block b, String t) {
    return b.shortcut().stream().anyMatch(l -> l.parameters().stream().anyMatch(p -> p.name().equals(t)));
  }

  private static float[] narrow(double[] v) {
    return TrainingState.narrow(v);
  }

  private static OrtModelSession open(ModelSpec spec, ModelState state, SessionOptions options, GraphTarget target) {
    assertTrue(target != null);
    return new OrtModelSession(OrtCpuBackend.NAME, OrtRuntime.get(), false, spec, state, options, target);
  }
}
