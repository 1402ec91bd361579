package org.resbench.harness.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/** Which scenarios run on which backend and spec, and what a skipped one says. */
class ConformanceRunnerTest {
  private static final ModelSpec NET = SpecNames.build("resnet-8-in3x8x8");

  /** The reference, declaring only {@code caps} (or unavailable when {@code reason} is set). */
  record Limited(Set<Capability> caps, String reason) implements Backend {
    @Override
    public String name() {
      return "limited";
    }

    @Override
    public String description() {
      return "the reference with fewer declared capabilities";
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Capabilities probe() {
      return reason == null ? Capabilities.available("e", "1", Device.CPU, caps)
          : Capabilities.unavailable("e", "1", Device.CUDA, reason, caps);
    }

    @Override
    public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
      return new ReferenceBackend().open(spec, state, options);
    }
  }

  private static ConformanceRunner runner(Backend b) {
    return new ConformanceRunner(b, sgd -> SessionOptions.builder().optSgd(sgd).build(),
        ConformanceRunner.Settings.DEFAULT);
  }

  @Test
  void anInferenceOnlyBackendRunsTheForwardScenariosAndSkipsTheRestWithAReason() {
    ConformanceRunner r = runner(new Limited(EnumSet.of(Capability.INFERENCE), null));
    assertTrue(r.run(Scenario.FORWARD_INFERENCE, NET).passed());
    assertTrue(r.run(Scenario.GATES_LESION, NET).passed(), "lesions are checked on the forward pass alone");
    ScenarioResult train = r.run(Scenario.TRAIN_STEP, NET);
    assertTrue(train.skipped());
    assertEquals("backend 'limited' does not declare TRAINING, which 'one training step' needs", train.skipReason());
    assertEquals("backend 'limited' declares neither INPUT_GRADIENTS nor PARAMETER_GRADIENTS",
        r.run(Scenario.GRADIENTS_CROSS_ENTROPY, NET).skipReason());
    assertTrue(r.run(Scenario.GRADIENTS_PATH_MASKED, NET).skipReason().contains("PATH_MASKS"));
  }

  @Test
  void aBackendWithParameterGradientsOnlyIsComparedOnThoseOnly() {
    ScenarioResult res = runner(new Limited(EnumSet.of(Capability.INFERENCE, Capability.PARAMETER_GRADIENTS), null))
        .run(Scenario.GRADIENTS_CROSS_ENTROPY, NET);
    assertTrue(res.passed(), res.describe());
    Set<Quantity> compared = EnumSet.noneOf(Quantity.class);
    res.comparisons().forEach(c -> compared.add(c.quantity()));
    assertEquals(EnumSet.of(Quantity.LOSS, Quantity.LOGITS_TRAIN, Quantity.PARAMETER_GRADIENT), compared);
  }

  @Test
  void anUnavailableBackendIsSkippedWithTheProbesReason() {
    ScenarioResult res = runner(new Limited(EnumSet.allOf(Capability.class), "no CUDA device; use ort-cpu"))
        .run(Scenario.FORWARD_TRAIN, NET);
    assertTrue(res.skipped());
    assertEquals("backend 'limited' is unavailable: no CUDA device; use ort-cpu", res.skipReason());
    assertFalse(res.passed());
    assertTrue(res.describe().endsWith("skipped: backend 'limited' is unavailable: no CUDA device; use ort-cpu"));
  }

  @Test
  void classifierScenariosDoNotApplyToSingleOutputNets() {
    ModelSpec scalar = SpecNames.build("mlp-3x8-res-bn");
    assertTrue(ConformanceRunner.notApplicable(Scenario.TRAIN_K_STEPS, scalar).contains("single output"));
    assertNull(ConformanceRunner.notApplicable(Scenario.GRADIENTS_OUTPUT_COTANGENT, scalar));
    assertNull(ConformanceRunner.notApplicable(Scenario.TRAIN_K_STEPS, NET));
  }

  @Test
  void aScenarioReportsItsInputCandidateAndReluMargin() {
    ScenarioResult res = runner(new ReferenceBackend()).run(Scenario.GRADIENTS_CROSS_ENTROPY, NET);
    assertTrue(res.passed());
    assertTrue(res.marginSafe(), "margin " + res.reluMargin());
    assertTrue(res.inputAttempt() >= 0);
    for (Comparison c : res.comparisons()) {
      assertEquals(0, c.maxAbsError(), "the reference against itself is exact: " + c.describe());
    }
  }
}
