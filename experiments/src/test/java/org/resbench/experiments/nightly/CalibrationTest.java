package org.resbench.experiments.nightly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.results.EnvironmentInfo;

/** The calibration's mechanics (not this machine's rates, which the command measures): structure, not timings. */
class CalibrationTest {

  @Test
  void theDelayWrapperChangesTimesOnlyNotNumbers() {
    ModelSpec spec = SpecNames.build("resnet-8-in3x8x8");
    ModelState state = Initializer.initialize(spec, 1);
    float[] x = new float[2 * 3 * 8 * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    HostTensor in = HostTensor.of(x, new int[] {2, 3, 8, 8});
    DelayedBackend slowed = new DelayedBackend(new ReferenceBackend(), 0.5);
    assertEquals("reference", slowed.name());
    try (Session a = new ReferenceBackend().open(spec, state, SessionOptions.builder().build());
        Session b = slowed.open(spec, state, SessionOptions.builder().build())) {
      assertArrayEquals(a.forward(in, BnMode.INFERENCE, BlockGates.ones(spec)).data(),
          b.forward(in, BnMode.INFERENCE, BlockGates.ones(spec)).data());
    }
  }

  @Test
  void aCalibrationComparesAaAndInjectedSetsAtEveryThresholdAndIsStored(@TempDir Path dir) {
    Suite.Bench target = new Suite.Bench("reference", "resnet-8-in3x8x8", 2, 1, 2, 3, false, 0, null);
    StringWriter log = new StringWriter();
    CalibrationResult c = Calibration.run(new Calibration.Settings(target, 2, 0.10, 0.05, true, List.of(), dir),
        new ReferenceBackend(), new PrintWriter(log, true));
    assertEquals(6, c.sets().size(), "two A/A pairs and two slowed sets");
    assertEquals(List.of("a", "b", "slowed"), c.sets().subList(0, 3).stream().map(CalibrationResult.Set::role)
        .toList());
    assertTrue(c.sets().stream().allMatch(s -> s.seconds().length == 6));
    assertEquals(0.05, c.rows().get(0).threshold());
    assertEquals(1.0, c.rows().get(c.rows().size() - 1).threshold());
    assertTrue(c.rows().stream().allMatch(r -> r.falseAlarms() <= 2 && r.detections() <= 2));
    assertTrue(c.threshold() >= 0.05);
    assertEquals("in-process", c.isolation());
    assertTrue(c.notes().get(0).startsWith("at the suite's 5% threshold"), c.notes().toString());
    assertTrue(c.sameMachine(EnvironmentInfo.capture()));
    assertTrue(log.toString().contains("2/2  A/A"), log.toString());

    History h = new History(dir.resolve("history"));
    h.save(c);
    assertEquals(c.threshold(), h.calibration().orElseThrow().threshold());
    Suite strict = new Suite("s", 0.01, 5, List.of(new Suite.Item(target, null, null, null, null)));
    NightlyRunner.Calibrated used = NightlyRunner.threshold(strict, h, new PrintWriter(new StringWriter()));
    assertEquals(Math.max(0.01, c.threshold()), used.value());
  }
}
