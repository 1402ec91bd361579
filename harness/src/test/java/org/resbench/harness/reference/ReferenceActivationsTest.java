package org.resbench.harness.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.conformance.ConformanceFixtures;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ProbePoint;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

class ReferenceActivationsTest {
  private final ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
  private final ModelState state = ConformanceFixtures.state(spec, 3);
  private final HostTensor x = ConformanceFixtures.batch(spec, 4, 3, 0).input();

  @Test
  void probeValuesAreConsistentWithTheForwardPassAndEachOther() {
    try (Session s = new ReferenceBackend().open(spec, state, SessionOptions.DEFAULT)) {
      List<String> all = spec.probePoints().stream().map(ProbePoint::name).toList();
      Map<String, HostTensor> a = s.activations(x, BnMode.INFERENCE, BlockGates.ones(spec), all);
      assertEquals(all, List.copyOf(a.keySet()), "in the order asked");
      assertArrayEquals(s.forward(x, BnMode.INFERENCE, BlockGates.ones(spec)).data(), a.get("head/1").data());
      // Each block's output is the ReLU of its merge, and the next block's stem-side input.
      float[] merge = a.get("block0/merge").data();
      float[] out = a.get("block0").data();
      for (int i = 0; i < merge.length; i++) {
        assertEquals(Math.max(0f, merge[i]), out[i]);
      }
      assertArrayEquals(a.get("block0").data(), a.get("block0/post/0").data());
      for (ProbePoint p : spec.probePoints()) {
        int[] shape = a.get(p.name()).shape();
        assertEquals(4, shape[0]);
        assertEquals(p.shape().size() * 4, a.get(p.name()).size(), p.name());
      }
    }
  }

  @Test
  void aLesionedBranchStillReportsItsValuesWithoutChangingTheMerge() {
    try (Session s = new ReferenceBackend().open(spec, state, SessionOptions.DEFAULT)) {
      BlockGates lesion = BlockGates.lesion(BlockGates.ones(spec), 1);
      Map<String, HostTensor> a = s.activations(x, BnMode.TRAIN, lesion,
          List.of("block1/branch/4", "block1/shortcut/0", "block1/merge"));
      assertArrayEquals(a.get("block1/shortcut/0").data(), a.get("block1/merge").data(), "gate 0: merge = S(x)");
      assertTrue(a.get("block1/branch/4").size() > 0);
      ModelState after = s.readState();
      for (String name : after.tensors().keySet()) {
        assertArrayEquals(state.get(name).data(), after.get(name).data(), "activations change no state: " + name);
      }
    }
  }

  @Test
  void unknownProbePointsAreRejected() {
    try (Session s = new ReferenceBackend().open(spec, state, SessionOptions.DEFAULT)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> s.activations(x, BnMode.TRAIN, BlockGates.ones(spec), List.of("block7")));
      assertTrue(e.getMessage().contains("no probe point 'block7'"), e.getMessage());
    }
  }
}
