package org.resbench.experiments.lesion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.data.DataOptions;
import org.resbench.harness.data.Datasets;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

class LesionsTest {

  @Test
  void sameShapeBlocksAreTheBlocksThatKeepTheirStagesShape() {
    // ResNet-20: stages of 3 blocks; blocks 3 and 6 downsample. Pairs within {0,1,2}, {4,5}, {7,8}.
    List<int[]> pairs = Lesions.swappablePairs(SpecNames.build("resnet-20"));
    assertEquals(List.of("0-1", "0-2", "1-2", "4-5", "7-8"), pairs.stream().map(p -> p[0] + "-" + p[1]).toList());
    assertEquals(5, Lesions.swappablePairs(SpecNames.build("plain-20")).size(), "the same for the plain net");
    assertEquals(5, Lesions.swappablePairs(SpecNames.build("resnet-20-sd")).size(),
        "survival probabilities stay with the positions and do not prevent swaps");
    assertEquals(List.of(), Lesions.swappablePairs(SpecNames.build("resnet-8")), "one block per stage");
  }

  @Test
  void swappingExchangesEveryTensorOfTheTwoBlocksAndTwiceIsTheIdentity() {
    ModelSpec spec = SpecNames.build("resnet-14-in1x8x8");
    ModelState s = Initializer.initialize(spec, 3);
    ModelState swapped = Lesions.swap(s, new int[][] {{0, 1}});
    s.tensors().forEach((name, t) -> {
      String other = name.startsWith("block0.") ? "block1." + name.substring(7) : name.startsWith("block1.")
          ? "block0." + name.substring(7) : name;
      assertArrayEquals(t.data(), swapped.get(other).data(), 0, name + " -> " + other);
    });
    assertEquals(s.sha256(), Lesions.swap(swapped, new int[][] {{0, 1}}).sha256());
    assertNotEquals(s.sha256(), swapped.sha256());
    assertThrows(IllegalArgumentException.class, () -> Lesions.swap(s, new int[][] {{1, 2}}),
        "block 2 downsamples: its tensors have other shapes");
  }

  @Test
  void randomSwapsAreDrawnFromTheSeedAndRestoreTheSessionsWeights() {
    ModelSpec spec = SpecNames.build("resnet-14-in1x8x8");
    ModelState state = Initializer.initialize(spec, 1);
    LabeledDataset test = Datasets.synthetic(spec.inputShape(), 10, DataOptions.defaults().withSyntheticSizes(40, 40))
        .test();
    try (Session s = new ReferenceBackend().open(spec, state, SessionOptions.DEFAULT)) {
      // resnet-14: one pair (blocks 0 and 1); the other stages have a downsampling block and one more.
      List<Lesions.RandomSwaps> a = Lesions.randomSwaps(s, test, List.of(1), 2, 7);
      assertEquals(state.sha256(), s.readState().sha256(), "the session's weights are restored");
      List<Lesions.RandomSwaps> b = Lesions.randomSwaps(s, test, List.of(1), 2, 7);
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i).errorPercent(), b.get(i).errorPercent(), 0, "same seed, same draws");
      }
      double intact = Lesions.error(s, test, BlockGates.inference(spec));
      assertTrue(intact >= 0 && intact <= 100);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Lesions.randomSwaps(s, test, List.of(2), 1, 7));
      assertTrue(e.getMessage().contains("allowed: 1..1"), e.getMessage());
    }
  }
}
