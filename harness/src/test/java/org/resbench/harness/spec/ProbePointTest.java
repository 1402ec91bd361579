package org.resbench.harness.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProbePointTest {

  @Test
  void probePointsFollowExecutionOrderWithShapes() {
    ModelSpec s = SpecNames.build("resnet-8-in3x8x8");
    List<String> names = s.probePoints().stream().map(ProbePoint::name).toList();
    assertEquals(List.of("stem/0", "stem/1", "stem/2", "block0/branch/0", "block0/branch/1", "block0/branch/2",
        "block0/branch/3", "block0/branch/4", "block0/merge", "block0/post/0", "block0"), names.subList(0, 11));
    assertEquals("block1/shortcut/0", names.get(names.indexOf("block1/branch/4") + 1));
    assertEquals(List.of("head/0", "head/1"), names.subList(names.size() - 2, names.size()));
    assertEquals(Shape.of(32, 4, 4), s.probePoint("block1").shape());
    assertEquals(Shape.of(10), s.probePoint("head/1").shape());
    assertTrue(s.probePoint("block0/post/0").isRelu());
    assertTrue(s.probePoint("block2").isBlockOutput());
    assertTrue(!s.probePoint("block2/merge").isBlockOutput());
    assertThrows(IllegalArgumentException.class, () -> s.probePoint("block9"));
  }

  @Test
  void mlpReluProbesArePerBlock() {
    ModelSpec s = SpecNames.build("mlp-3x8-ff-bn");
    long relus = s.probePoints().stream().filter(ProbePoint::isRelu).count();
    assertEquals(4, relus, "one ReLU per block plus the head's");
  }
}
