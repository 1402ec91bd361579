package org.resbench.harness.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

  @Test
  void heCifarDividesByTenAt32kAnd48k() {
    LrSchedule s = LrSchedule.heCifar();
    assertEquals(0.1, s.rate(0), 1e-15);
    assertEquals(0.1, s.rate(31_999), 1e-15);
    assertEquals(0.01, s.rate(32_000), 1e-15);
    assertEquals(0.01, s.rate(47_999), 1e-15);
    assertEquals(0.001, s.rate(48_000), 1e-15);
    assertEquals(0.001, s.rate(63_999), 1e-15);
  }

  @Test
  void scaledScheduleKeepsTheProportions() {
    LrSchedule s = LrSchedule.heCifarScaled(400);
    assertEquals(0.1, s.rate(199), 1e-15);
    assertEquals(0.01, s.rate(200), 1e-15);
    assertEquals(0.001, s.rate(300), 1e-15);
  }

  @Test
  void resnet110WarmupRunsAtOneHundredthFirst() {
    LrSchedule s = LrSchedule.withWarmup(0.01, 400, LrSchedule.heCifar());
    assertEquals(0.01, s.rate(0), 1e-15);
    assertEquals(0.01, s.rate(399), 1e-15);
    assertEquals(0.1, s.rate(400), 1e-15);
    assertEquals(0.01, s.rate(32_000), 1e-15);
  }

  @Test
  void cosineAnnealsFromBaseToMin() {
    LrSchedule s = new LrSchedule.Cosine(0.1, 0.0, 100);
    assertEquals(0.1, s.rate(0), 1e-15);
    assertEquals(0.05, s.rate(50), 1e-12);
    assertEquals(0.0, s.rate(100), 1e-15);
    assertEquals(0.0, s.rate(1000), 1e-15);
  }

  @Test
  void invalidSchedulesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule.Constant(0));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule.Constant(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule.StepDecay(0.1, new int[] {5, 3}, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule.StepDecay(0.1, new int[] {5}, 2));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule.Cosine(0.1, 0.2, 10));
  }
}
