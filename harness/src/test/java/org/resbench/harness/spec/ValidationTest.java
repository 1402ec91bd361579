package org.resbench.harness.spec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ValidationTest {

  private static void rejects(Executable e, String... fragments) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), "'" + ex.getMessage() + "' should contain '" + f + "'");
    }
  }

  @Test
  void convChannelsMustBeDivisibleByGroups() {
    rejects(() -> new Conv2d("c", 30, 64, 3, 1, 1, 4, false), "Conv2d 'c'", "inChannels=30", "groups=4",
        "allowed: a multiple of groups");
    rejects(() -> new Conv2d("c", 32, 30, 3, 1, 1, 4, false), "outChannels=30");
  }

  @Test
  void nonPositiveSizesAreRejected() {
    rejects(() -> Conv2d.of("c", 0, 16, 3, 1, 1), "inChannels=0", "allowed: a positive integer");
    rejects(() -> Conv2d.of("c", 3, 16, 3, 0, 1), "stride=0");
    rejects(() -> Conv2d.of("c", 3, 16, 3, 1, -1), "padding=-1");
    rejects(() -> new Linear("fc", 10, -1, true), "Linear 'fc'", "outFeatures=-1");
    rejects(() -> BatchNorm.of("bn", 0), "channels=0");
    rejects(() -> new BatchNorm("bn", 4, 0, 0.1), "eps=0.0");
    rejects(() -> new BatchNorm("bn", 4, 1e-5, 1.5), "momentum=1.5", "(0, 1]");
    rejects(() -> Shape.of(3, -2), "dimension 1 is -2");
  }

  @Test
  void shapeMismatchesAreRejectedWhereTheyOccur() {
    rejects(() -> Conv2d.of("c", 3, 16, 3, 1, 1).outputShape(Shape.of(1, 28, 28)), "Conv2d 'c'", "input shape 1x28x28",
        "allowed: 3xHxW");
    Block bad = new Block(0, "b0", Block.Kind.BASIC, true, List.of(Conv2d.of("b0.c", 16, 32, 3, 1, 1)), List.of(),
        List.of(), 1.0);
    rejects(() -> bad.outputShape(Shape.of(16, 8, 8)), "block 0", "branch output 32x8x8",
        "shortcut output 16x8x8");
    rejects(() -> new ModelSpec("x", Family.CUSTOM, Shape.of(16, 8, 8), List.of(), List.of(bad), List.of(),
        InitScheme.DEFAULT),
        "branch output");
  }

  @Test
  void blockFieldsAreChecked() {
    List<Layer> f = List.of(new Relu());
    rejects(() -> new Block(0, "b", Block.Kind.MLP, true, f, List.of(), List.of(), 0.0), "survivalProbability=0.0");
    rejects(() -> new Block(-1, "b", Block.Kind.MLP, true, f, List.of(), List.of(), 1.0), "block index=-1");
    rejects(() -> new Block(0, "b", Block.Kind.MLP, true, List.of(), List.of(), List.of(), 1.0), "branch is empty");
  }

  @Test
  void specRejectsDuplicateNamesAndMisnumberedBlocks() {
    List<Layer> stem = List.of(new Linear("fc", 4, 4, false), new Linear("fc", 4, 4, false));
    rejects(() -> new ModelSpec("x", Family.CUSTOM, Shape.of(4), stem, List.of(), List.of(), InitScheme.DEFAULT),
        "parameter name 'fc.weight' is used twice");
    Block b = new Block(1, "b", Block.Kind.MLP, true, List.of(new Relu()), List.of(), List.of(), 1.0);
    rejects(() -> new ModelSpec("x", Family.CUSTOM, Shape.of(4), List.of(), List.of(b), List.of(), InitScheme.DEFAULT),
        "block at position 0 has index 1");
    rejects(() -> new ModelSpec("x", Family.CUSTOM, Shape.of(1, 4, 4), List.of(), List.of(), List.of(),
        InitScheme.DEFAULT),
        "output shape 1x4x4");
  }

  @Test
  void initSettingsAreChecked() {
    rejects(() -> new InitScheme.WeightInit.Normal(0), "std=0.0");
    rejects(() -> new InitScheme.BiasInit.Normal(Double.POSITIVE_INFINITY), "std=Infinity");
  }
}
