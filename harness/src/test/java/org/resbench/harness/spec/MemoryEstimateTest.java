package org.resbench.harness.spec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.resbench.harness.spec.MemoryEstimate.Limits;
import org.resbench.harness.spec.MemoryEstimate.Workload;

/** Issue 17, class 3: sizes are checked before anything is allocated; sizes never wrap round. */
class MemoryEstimateTest {
  /** The machine of the report: 6 GiB of heap (a quarter of 24 GiB), 24 GiB of memory. */
  private static final Limits MACHINE = new Limits(6L << 30, 24L << 30);

  @Test
  void whatTheProjectRunsFitsAndIsNotRefused() {
    for (String name : new String[] {"resnet-20", "resnet-110", "resnet-110-sd", "resnet-164-bottleneck",
        "resnext-29-4x16d", "mlp-50x200-res-bn", "plain-56"}) {
      ModelSpec s = SpecNames.build(name);
      assertDoesNotThrow(() -> MemoryEstimate.of(s, 128, Workload.TRAINING, false, "ort-cpu").require(MACHINE), name);
      assertDoesNotThrow(() -> MemoryEstimate.of(s, 8, Workload.TRAINING, true, "reference").require(MACHINE), name);
      assertDoesNotThrow(() -> MemoryEstimate.of(s, 1, Workload.EXPORT, true, null).require(MACHINE), name);
    }
  }

  @Test
  void theEstimateCountsWeightsActivationsAndWorkspace() {
    ModelSpec r20 = SpecNames.build("resnet-20");
    MemoryEstimate inf = MemoryEstimate.of(r20, 128, Workload.INFERENCE, false, "ort-cpu");
    MemoryEstimate train = MemoryEstimate.of(r20, 128, Workload.TRAINING, false, "ort-cpu");
    MemoryEstimate ref = MemoryEstimate.of(r20, 128, Workload.TRAINING, true, "reference");
    // The weights drawn in Java and the input batch are on the heap; a native engine's tensors are not.
    assertTrue(inf.heapBytes() >= 4L * r20.parameterCount() + 4L * 128 * 3 * 32 * 32, inf.toString());
    assertTrue(train.nativeBytes() > 10 * inf.nativeBytes(), "training keeps every activation");
    // At least every activation of a batch of 128 once: ResNet-20 has ~0.75M values per image.
    assertTrue(train.nativeBytes() > 128L * 700_000 * 4, train.toString());
    // The reference computes on the heap in float64.
    assertEquals(0, ref.nativeBytes());
    assertTrue(ref.heapBytes() > 2 * (train.nativeBytes() - 3L * 4 * r20.parameterCount()) - 1, ref.toString());
    assertTrue(train.breakdown().contains("activations") && train.breakdown().contains("convolution workspace"),
        train.breakdown());
  }

  @Test
  void aSpecTooLargeToDescribeIsRefusedBeforeItIsBuilt() {
    // A 100-million-deep MLP: its blocks alone could never fit; nothing is built (this returns at once).
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MemoryEstimate.requireBuildable("mlp-100000000x200-ff", 100_000_000L, MACHINE));
    assertTrue(e.getMessage().startsWith("spec 'mlp-100000000x200-ff' is too large: its 100,000,000 blocks"),
        e.getMessage());
    assertTrue(e.getMessage().contains("the limit is 1.5 GiB"), e.getMessage());
    // Through the name, with this JVM's heap (whatever it is, 100 million blocks do not fit).
    e = assertThrows(IllegalArgumentException.class, () -> SpecNames.build("mlp-100000000x200-ff"));
    assertTrue(e.getMessage().contains("is too large") && e.getMessage().contains("allowed: at most"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SpecNames.build("resnet-600000002"));
    assertTrue(e.getMessage().contains("is too large"), e.getMessage());
  }

  @Test
  void workThatCannotFitIsRefusedWithTheEstimateAndTheLimit() {
    // A 60,002-layer ResNet: ~1 billion weights; exporting needs three copies on the heap, training terabytes.
    ModelSpec huge = SpecNames.build("resnet-60002");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MemoryEstimate.of(huge, 1, Workload.EXPORT, true, null).require(MACHINE));
    assertTrue(e.getMessage().matches("resnet-60002 export needs at least 1[01]\\.\\d GiB of Java heap .*"),
        e.getMessage());
    assertTrue(e.getMessage().contains("the limit is 6.0 GiB (the JVM's maximum heap)"), e.getMessage());
    assertFalse(e.getMessage().contains("batch"), "an export has no batch: " + e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> MemoryEstimate.of(huge, 128, Workload.TRAINING, false, "ort-cpu").require(MACHINE));
    assertTrue(e.getMessage().contains("TiB of memory") && e.getMessage().contains("physical memory"),
        e.getMessage());
    // A batch of a million in bench: the input alone is 11 GiB.
    ModelSpec r20 = SpecNames.build("resnet-20");
    e = assertThrows(IllegalArgumentException.class,
        () -> MemoryEstimate.of(r20, 1_000_000, Workload.INFERENCE, false, "ort-cpu").require(MACHINE));
    assertTrue(e.getMessage().contains("input batch 11.4 GiB"), e.getMessage());
  }

  @Test
  void sizesNeverWrapRound() {
    Shape s = Shape.of(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, s.elements(), "saturates instead of wrapping");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::size);
    assertTrue(e.getMessage().contains("is too large") && !e.getMessage().contains("-"), e.getMessage());
    assertEquals("more than 8 EiB (too large to count)", MemoryEstimate.bytes(MemoryEstimate.saturatingMultiply(
        Long.MAX_VALUE / 2, 3)));

    e = assertThrows(IllegalArgumentException.class, () -> SpecNames.build("mlp-2x3000000000-ff"));
    assertTrue(e.getMessage().contains("width 3000000000 is too large; allowed: a positive integer up to 2147483647"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SpecNames.build("resnet-20-in3x99999999999x32"));
    assertTrue(e.getMessage().contains("99999999999 is too large"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SpecNames.build("resnext-29-100000x100000d"));
    assertTrue(e.getMessage().contains("is too large"), e.getMessage());
    // A wide MLP's weight matrix has more elements than an array holds: the count says so, it does not wrap.
    ModelSpec wide = SpecNames.build("mlp-2x100000-ff");
    assertEquals(2L * 100_000 * 100_000 + 5L * 100_000 + 1, wide.parameterCount());
    Conv2d c = Conv2d.of("c", 3, 16, 3, 1, 1);
    assertEquals(Integer.MAX_VALUE, c.outputSize(Integer.MAX_VALUE), "no wrap at the largest input size");
    assertTrue(SpecNames.build("resnet-20-in3x40000x40000").macs() > 0);
  }
}
