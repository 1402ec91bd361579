package org.resbench.harness.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

class GatesAndMasksTest {
  private final ModelSpec sd = SpecNames.build("resnet-110-sd");

  @Test
  void inferenceGatesAreSurvivalProbabilities() {
    BlockGates g = BlockGates.inference(sd);
    assertEquals(54, g.size());
    assertEquals(0.5f, g.get(53), 1e-7);
    assertEquals(1 - 0.5 / 54, g.get(0), 1e-7);
    assertTrue(BlockGates.inference(SpecNames.build("resnet-20")).allOnes());
  }

  @Test
  void sampledGatesFollowBernoulliAndAreReproducible() {
    BlockGates a = BlockGates.sample(sd, Rngs.stream(9, "gates"));
    BlockGates b = BlockGates.sample(sd, Rngs.stream(9, "gates"));
    assertEquals(a, b);
    SplittableRandom r = Rngs.stream(1, "gates");
    int n = 4000;
    double dropsLast = 0;
    double dropsFirst = 0;
    for (int i = 0; i < n; i++) {
      BlockGates g = BlockGates.sample(sd, r);
      dropsLast += 1 - g.get(53);
      dropsFirst += 1 - g.get(0);
      for (float v : g.values()) {
        assertTrue(v == 0f || v == 1f);
      }
    }
    // p_53 = 0.5 and p_0 = 0.9907: binomial standard errors 0.008 and 0.0015; allow 4 of them.
    assertEquals(0.5, dropsLast / n, 0.032);
    assertEquals(0.5 / 54, dropsFirst / n, 0.006);
  }

  @Test
  void lesionZeroesOnlyTheNamedBlocks() {
    BlockGates g = BlockGates.lesion(BlockGates.ones(sd), 3, 7);
    assertEquals(0f, g.get(3));
    assertEquals(0f, g.get(7));
    assertEquals(1f, g.get(4));
    assertThrows(IllegalArgumentException.class, () -> BlockGates.lesion(g, 54));
    assertThrows(IllegalArgumentException.class, () -> BlockGates.of(1.5f));
    assertThrows(IllegalArgumentException.class, () -> BlockGates.of(1f).requireFor(sd));
  }

  @Test
  void pathMaskIsolatesAPath() {
    ModelSpec s = SpecNames.build("resnet-20");
    PathMask m = PathMask.path(s, Set.of(0, 4));
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 0}, m.branchFactors());
    assertArrayEquals(new float[] {0, 1, 1, 1, 0, 1, 1, 1, 1}, m.shortcutFactors());
    assertFalse(m.isNone());
    assertTrue(PathMask.none(s).isNone());
    assertThrows(IllegalArgumentException.class, () -> PathMask.path(s, Set.of(9)));
    assertThrows(IllegalArgumentException.class, () -> PathMask.of(new float[2], new float[3]));
  }

  @Test
  void gradientRequestsAreCheckedAgainstTheSpec() {
    ModelSpec s = SpecNames.build("mlp-2x4-ff-out3");
    var x = org.resbench.harness.tensor.HostTensor.zeros(2, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradientRequest.builder(x, Objective.crossEntropy(new int[] {0, 3})).build().requireFor(s));
    assertTrue(e.getMessage().contains("label 3 at position 1; allowed: 0..2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> GradientRequest.builder(x, Objective.crossEntropy(new int[] {0})).build());
    assertThrows(IllegalArgumentException.class, () -> GradientRequest.builder(x, Objective.sumOfOutputs(2, 3))
        .optInputGradient(false).build());
    e = assertThrows(IllegalArgumentException.class, () -> GradientRequest.builder(
        org.resbench.harness.tensor.HostTensor.zeros(2, 2), Objective.sumOfOutputs(2, 3)).build().requireFor(s));
    assertTrue(e.getMessage().contains("input shape [2, 2]"), e.getMessage());
    GradientRequest ok = GradientRequest.builder(x, Objective.sumOfOutputs(2, 3)).build().requireFor(s);
    assertTrue(ok.pathMaskFor(s).isNone());
    assertTrue(ok.gatesFor(s).allOnes());
  }

  @Test
  void sgdAndOptionsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new SgdConfig(1.0, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0, -1, false));
    assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0, 0, true));
    assertThrows(IllegalArgumentException.class, () -> SessionOptions.builder().optThreads(-1).build());
    assertEquals(2, SessionOptions.builder().optThreads(2).build().threads());
  }
}
