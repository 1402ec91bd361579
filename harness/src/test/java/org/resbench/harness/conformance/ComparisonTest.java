package org.resbench.harness.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.resbench.harness.tensor.HostTensor;

/** The element-wise comparison arithmetic and what it reports. */
class ComparisonTest {
  private static final Tolerance T = new Tolerance(1e-3, 1e-2, 1e-7);

  @Test
  void boundCombinesAbsoluteScaledAndRelativeTerms() {
    assertEquals(1e-7 + 1e-2 * 2 + 1e-3 * 5, T.bound(-5, 2), 1e-15);
    assertEquals(new Tolerance(2e-3, 2e-2, 2e-7), T.times(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1, 0, 0));
    assertEquals("tolerance relative=-1.0; allowed: a finite value >= 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Tolerance(0, Double.NaN, 0));
  }

  @Test
  void findsTheWorstElementsAndTheirPositions() {
    // rms(expected) = sqrt((1 + 4 + 0 + 9 + 16 + 4) / 6) = sqrt(34 / 6); the scaled floor is 0.0238.
    HostTensor e = HostTensor.of(new float[] {1, -2, 0, 3, 4, 2}, 2, 3);
    HostTensor a = HostTensor.of(new float[] {1, -2.01f, 0.02f, 3, 4.05f, 2}, 2, 3);
    TensorComparison c = TensorComparison.of(Quantity.INPUT_GRADIENT, "x", e, a, T);
    assertEquals(0.05, c.maxAbsError(), 1e-6);
    assertEquals("[1, 1]", c.position(c.maxAbsIndex()));
    assertEquals(0.0125, c.maxRelError(), 1e-6, "finite: the element expected to be 0 has no relative error");
    assertEquals("[1, 1]", c.position(c.maxRelIndex()));
    assertEquals("[1, 1]", c.position(c.worstIndex()), "0.05 against a bound of 0.0238 + 0.004");
    assertEquals(1, c.failures());
    assertFalse(c.passed());
    String d = c.describe();
    assertTrue(d.startsWith("input gradient 'x' [2, 3]: FAILED (1 of 6 elements out of tolerance); worst element"
        + " [1, 1]: expected 4.000000, actual 4.050000"), d);
    assertTrue(d.contains("max abs error 0.0500 at [1, 1]; max rel error 0.0125 at [1, 1]"), d);
  }

  @Test
  void nanShapeAndMissingTensorsFail() {
    HostTensor e = HostTensor.of(new float[] {1, 2}, 2);
    assertFalse(TensorComparison.of(Quantity.LOSS, "l", e, HostTensor.of(new float[] {1, Float.NaN}, 2)).passed());
    TensorComparison shape = TensorComparison.of(Quantity.LOSS, "l", e, HostTensor.of(new float[] {1, 2}, 1, 2));
    assertEquals("loss 'l' [2]: FAILED: shape [1, 2] differs from the expected [2]", shape.describe());
    assertFalse(TensorComparison.of(Quantity.LOSS, "l", e, null).passed());
  }

  @Test
  void exactZerosPassOnlyWithinTheZeroFloor() {
    HostTensor zero = HostTensor.zeros(3);
    assertTrue(TensorComparison.of(Quantity.PARAMETER_GRADIENT, "g", zero, HostTensor.of(new float[] {0, 5e-8f, 0}, 3))
        .passed());
    assertFalse(TensorComparison.of(Quantity.PARAMETER_GRADIENT, "g", zero, HostTensor.of(new float[] {0, 1e-6f, 0},
        3)).passed());
  }

  @Test
  void aComparisonAggregatesItsTensors() {
    HostTensor e = HostTensor.of(new float[] {1, 2}, 2);
    TensorComparison ok = TensorComparison.of(Quantity.PARAMETER_GRADIENT, "a", e, e);
    TensorComparison bad = TensorComparison.of(Quantity.PARAMETER_GRADIENT, "b", e, HostTensor.of(new float[] {1, 3},
        2));
    Comparison c = new Comparison(Quantity.PARAMETER_GRADIENT, "net: x vs reference", List.of(ok, bad));
    assertFalse(c.passed());
    assertEquals(List.of(bad), c.failures());
    assertEquals(bad, c.worst());
    assertEquals(1.0, c.maxAbsError(), 1e-12);
    assertEquals(0.5, c.maxRelError(), 1e-12);
    assertTrue(c.describe().startsWith("parameter gradients, net: x vs reference: 1 FAILED over 2 tensor(s)"),
        c.describe());
    assertTrue(new Comparison(Quantity.PARAMETER_GRADIENT, "n", List.of(ok)).passed());
    assertThrows(IllegalArgumentException.class, () -> new Comparison(Quantity.LOSS, "n", List.of()));
  }

  @Test
  void everyQuantityHasAStatedTolerance() {
    for (Quantity q : Quantity.values()) {
      Tolerance t = Tolerances.of(q);
      assertTrue(t.relative() > 0 && t.relative() <= 2e-3, q + ": " + t);
      assertEquals(Tolerances.ZERO_FLOOR, t.absolute(), q + ": " + t);
    }
  }
}
