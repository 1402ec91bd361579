package org.resbench.harness.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchitectureTest {

  /** He et al. 2016 Table 6 (CIFAR-10, option A): parameter counts as printed, in millions. */
  @ParameterizedTest
  @CsvSource({"20, 0.27, 269722", "32, 0.46, 464154", "44, 0.66, 658586", "56, 0.85, 853018", "110, 1.7, 1727962",
      "1202, 19.4, 19421274"})
  void cifarResNetParameterCountsMatchHeEtAlTable6(int depth, double paperMillions, long exact) {
    ModelSpec s = Architecture.CifarResNet.resnet(depth).build();
    assertEquals(exact, s.parameterCount());
    // The paper rounds to two significant digits (three for 19.4M).
    double digits = paperMillions < 1 ? 100 : 10;
    assertEquals(paperMillions, Math.round(s.parameterCount() / 1e6 * digits) / digits, 1e-9);
    assertEquals(depth, s.weightedDepth());
  }

  @Test
  void plainAndResidualNetsHaveIdenticalParameters() {
    for (int depth : new int[] {20, 56}) {
      ModelSpec plain = Architecture.CifarResNet.plain(depth).build();
      ModelSpec res = Architecture.CifarResNet.resnet(depth).build();
      assertEquals(res.parameterCount(), plain.parameterCount());
      assertEquals(res.macs(), plain.macs());
      assertEquals(res.parameters(), plain.parameters());
      assertTrue(plain.blocks().stream().noneMatch(Block::residual));
      assertTrue(res.blocks().stream().allMatch(Block::residual));
    }
  }

  @Test
  void resnet20MacsMatchTheMeasuredFigure() {
    // ResNet-20 option A = 40,551,040 MACs per image, the figure measured for the ONNX Runtime benchmarks.
    assertEquals(40_551_040L, Architecture.CifarResNet.resnet(20).build().macs());
  }

  @Test
  void optionBAddsProjectionsOnlyWhereShapesChange() {
    ModelSpec a = SpecNames.build("resnet-20");
    ModelSpec b = SpecNames.build("resnet-20-b");
    // Two projections: 16->32 (512 weights + 64 BN) and 32->64 (2048 + 128).
    assertEquals(a.parameterCount() + 512 + 64 + 2048 + 128, b.parameterCount());
    assertEquals(2, b.blocks().stream().filter(Block::downsamples).count());
    assertTrue(b.blocks().get(3).shortcut().get(0) instanceof Conv2d);
    assertTrue(a.blocks().get(3).shortcut().get(0) instanceof SubsamplePad);
  }

  @Test
  void stochasticDepthSurvivalDecaysLinearlyToPL() {
    ModelSpec s = SpecNames.build("resnet-110-sd");
    double[] p = s.survivalProbabilities();
    int total = p.length;
    assertEquals(54, total);
    for (int l = 1; l <= total; l++) {
      assertEquals(1 - (double) l / total * 0.5, p[l - 1], 1e-12);
    }
    assertEquals(0.5, p[total - 1], 1e-12);
    // Huang et al.: expected depth (3L - 1) / 4 blocks when p_L = 0.5.
    double expected = 0;
    for (double x : p) {
      expected += x;
    }
    assertEquals((3.0 * total - 1) / 4, expected, 1e-9);
    assertEquals(0.8, SpecNames.build("resnet-20-sd0.8").survivalProbabilities()[8], 1e-12);
  }

  @Test
  void bottleneckResNet164HasAbout1point7MParameters() {
    ModelSpec s = SpecNames.build("resnet-164-bottleneck");
    assertEquals(164, s.weightedDepth());
    assertEquals(54, s.blocks().size());
    assertEquals(1.7, Math.round(s.parameterCount() / 1e5) / 10.0, 1e-9);
    assertEquals(Block.Kind.BOTTLENECK, s.blocks().get(0).kind());
  }

  /** Xie et al. 2017 Table 7: ResNeXt-29 8x64d 34.4M, 16x64d 68.1M parameters. */
  @ParameterizedTest
  @CsvSource({"8, 64, 34.4", "16, 64, 68.1"})
  void resnext29ParameterCountsMatchXieEtAl(int c, int d, double paperMillions) {
    ModelSpec s = Architecture.ResNeXt.of(c, d).build();
    assertEquals(29, s.weightedDepth());
    // Within 0.1M: the paper truncates (68.155M is printed as 68.1M).
    assertEquals(paperMillions, s.parameterCount() / 1e6, 0.1);
    Conv2d grouped = (Conv2d) s.blocks().get(0).branch().get(3);
    assertEquals(c, grouped.groups());
    assertEquals(c * d, grouped.inChannels());
    assertEquals(Block.Kind.GROUPED_BOTTLENECK, s.blocks().get(0).kind());
  }

  @Test
  void resnextAtEqualComplexityKeepsParametersClose() {
    // Xie et al. Table 2 pairs (C, d) for a 256-d block: complexity stays about equal.
    long p1 = SpecNames.build("resnext-29-1x64d").parameterCount();
    long p8 = SpecNames.build("resnext-29-8x14d").parameterCount();
    assertEquals(1.0, (double) p8 / p1, 0.1);
  }

  @Test
  void mlpPreActivationResidualWithBatchNorm() {
    ModelSpec s = SpecNames.build("mlp-3x8-res-bn");
    assertEquals(Shape.of(1), s.inputShape());
    assertEquals(1, s.outputs());
    assertEquals(3, s.blocks().size());
    Block b = s.blocks().get(0);
    assertTrue(b.residual());
    assertEquals(List.of(BatchNorm.class, Relu.class, Linear.class),
        b.branch().stream().map(Object::getClass).toList());
    assertTrue(b.post().isEmpty());
    // stem 1->8 (+8 bias), 3 blocks (BN 16 + 8x8 + 8), head BN 16 + 8->1 + 1.
    assertEquals(16 + 3 * (16 + 64 + 8) + 16 + 9, s.parameterCount());
  }

  @Test
  void mlpPostActivationFeedforwardWithoutBatchNorm() {
    ModelSpec s = SpecNames.build("mlp-2x4-ff-post-in3-out2");
    Block b = s.blocks().get(1);
    assertTrue(!b.residual());
    assertEquals(List.of(Linear.class), b.branch().stream().map(Object::getClass).toList());
    assertEquals(List.of(Relu.class), b.post().stream().map(Object::getClass).toList());
    assertEquals(2, s.outputs());
  }

  @Test
  void mlpOnImagesFlattensFirst() {
    ModelSpec s = SpecNames.build("mlp-2x16-ff-bn-in1x28x28-out10");
    assertTrue(s.stem().get(0) instanceof Flatten);
    assertEquals(784 * 16 + 16, ((Linear) s.stem().get(1)).parameters().stream().mapToInt(p -> p.shape().size()).sum());
  }

  @Test
  void inputShapeAndClassesAreParameters() {
    ModelSpec s = SpecNames.build("resnet-20-in1x28x28-out100");
    assertEquals(Shape.of(1, 28, 28), s.inputShape());
    assertEquals(100, s.outputs());
    assertEquals(Shape.of(64, 7, 7), s.blocks().get(8).outputShape(s.blockInputShape(8)));
  }
}
