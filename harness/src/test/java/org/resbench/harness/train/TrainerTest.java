package org.resbench.harness.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.data.InMemoryDataset;
import org.resbench.harness.data.SyntheticImageDataset;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

class TrainerTest {

  /**
   * A session that records what the loop passes it and returns scripted losses; its logits always predict
   * class 0. The loop's arithmetic is all the test needs; real backends are tested by the conformance suite.
   */
  static final class ScriptedSession implements Session {
    final ModelSpec spec;
    final IntToDoubleFunction loss;
    final List<Double> rates = new ArrayList<>();
    final List<BlockGates> gates = new ArrayList<>();
    final List<int[]> labels = new ArrayList<>();
    int forwards;

    ScriptedSession(ModelSpec spec, IntToDoubleFunction loss) {
      this.spec = spec;
      this.loss = loss;
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public String backendName() {
      return "scripted";
    }

    private HostTensor logits(int n) {
      float[] z = new float[n * spec.outputs()];
      for (int i = 0; i < n; i++) {
        z[i * spec.outputs()] = 1f;
      }
      return HostTensor.of(z, n, spec.outputs());
    }

    @Override
    public HostTensor forward(HostTensor input, BnMode bnMode, BlockGates g) {
      assertEquals(BnMode.INFERENCE, bnMode);
      assertEquals(BlockGates.inference(spec), g);
      forwards++;
      return logits(input.dim(0));
    }

    @Override
    public GradientResult gradients(GradientRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public StepResult trainStep(HostTensor input, int[] y, BlockGates g, double lr) {
      int step = rates.size();
      rates.add(lr);
      gates.add(g);
      labels.add(y.clone());
      return new StepResult(loss.applyAsDouble(step), logits(input.dim(0)));
    }

    @Override
    public ModelState readState() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void loadState(ModelState state) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private final InMemoryDataset data = SyntheticImageDataset.generate("syn", Shape.of(3, 8, 8), 10, 64, 0.5, 1);
  private final ModelSpec sd = SpecNames.build("resnet-20-sd-in3x8x8");

  @Test
  void appliesTheScheduleDrawsGatesAndEvaluates() {
    ScriptedSession s = new ScriptedSession(sd, step -> 2.3 - step * 0.01);
    List<TrainingListener.EvalMetrics> evals = new ArrayList<>();
    List<TrainingListener.StepMetrics> steps = new ArrayList<>();
    TrainingOutcome[] finished = new TrainingOutcome[1];
    TrainingListener l = new TrainingListener() {
      @Override
      public void onStep(StepMetrics m) {
        steps.add(m);
      }

      @Override
      public void onEvaluation(EvalMetrics m) {
        evals.add(m);
      }

      @Override
      public void onFinish(TrainingOutcome o) {
        finished[0] = o;
      }
    };
    TrainingConfig cfg = TrainingConfig.builder(40, 16).optEvalEvery(15).optEvalBatchSize(20).optSeed(3).build();
    TrainingOutcome out = Trainer.train(s, data, data, cfg, List.of(l));
    assertTrue(out.completed());
    assertEquals(40, out.stepsCompleted());
    assertEquals(out, finished[0]);
    assertEquals(0.1, s.rates.get(19), 1e-15);
    assertEquals(0.01, s.rates.get(20), 1e-15);
    assertEquals(0.001, s.rates.get(30), 1e-15);
    assertEquals(40, steps.size());
    // Evaluations after steps 15, 30 and the last; each covers all 64 examples in batches of 20.
    assertEquals(List.of(15, 30, 40), evals.stream().map(TrainingListener.EvalMetrics::step).toList());
    assertEquals(3 * 4, s.forwards);
    double expectedError = 0;
    for (int i = 0; i < data.size(); i++) {
      expectedError += data.label(i) != 0 ? 1 : 0;
    }
    assertEquals(100 * expectedError / data.size(), out.finalEvaluation().errorPercent(), 1e-9);
    // Stochastic depth: binary gates that vary between steps, reproducible from the seed.
    assertTrue(s.gates.stream().distinct().count() > 1);
    ScriptedSession again = new ScriptedSession(sd, step -> 2.3);
    Trainer.train(again, data, null, cfg, List.of());
    assertEquals(s.gates, again.gates);
    for (int i = 0; i < 40; i++) {
      assertTrue(java.util.Arrays.equals(s.labels.get(i), again.labels.get(i)));
    }
  }

  @Test
  void nanLossEndsTheRunWithAReason() {
    ScriptedSession s = new ScriptedSession(sd, step -> step == 5 ? Double.NaN : 2.0);
    TrainingOutcome out = Trainer.train(s, data, data, TrainingConfig.builder(20, 8).build(), List.of());
    assertEquals(TrainingOutcome.Status.DIVERGED, out.status());
    assertEquals(5, out.stepsCompleted());
    assertEquals("loss became NaN at step 5", out.reason());
    assertNull(out.finalEvaluation());
    assertEquals(6, s.rates.size(), "no step after the NaN");
  }

  @Test
  void explodingAndInfiniteLossesAreDivergence() {
    TrainingOutcome out = Trainer.train(new ScriptedSession(sd, step -> step < 3 ? 2.0 : 50.0), data, null,
        TrainingConfig.builder(10, 8).optDivergenceFactor(20).build(), List.of());
    assertEquals(TrainingOutcome.Status.DIVERGED, out.status());
    assertTrue(out.reason().startsWith("loss exploded at step 3"), out.reason());
    out = Trainer.train(new ScriptedSession(sd, step -> Double.POSITIVE_INFINITY), data, null,
        TrainingConfig.builder(10, 8).build(), List.of());
    assertEquals("loss became infinite at step 0", out.reason());
    assertNotNull(Trainer.divergence(Double.NaN, 1, 2, 0));
    assertNull(Trainer.divergence(1.9, 1, 2, 0));
  }

  @Test
  void mismatchedDataIsRejectedBeforeTraining() {
    ScriptedSession s = new ScriptedSession(SpecNames.build("resnet-20"), step -> 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(s, data, null, TrainingConfig.builder(1, 8).build(), List.of()));
    assertTrue(e.getMessage().contains("has examples 3x8x8"), e.getMessage());
  }

  @Test
  void epochsTranslateToSteps() {
    assertEquals(182 * 351, TrainingConfig.stepsForEpochs(182, 45_000, 128));
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.stepsForEpochs(1, 10, 20));
  }

  @Test
  void aRunResumedFromAPositionAndTrainingStateEndsWithTheSameWeights() {
    ModelSpec spec = SpecNames.build("resnet-8-sd-in1x8x8-out3");
    InMemoryDataset data = SyntheticImageDataset.generate("syn", Shape.of(1, 8, 8), 3, 40, 0.5, 1);
    TrainingConfig config = TrainingConfig.builder(9, 8).optSeed(5).optCheckpointEvery(4)
        .optSchedule(new LrSchedule.Constant(0.05)).build();
    org.resbench.harness.backend.Backend ref = new org.resbench.harness.reference.ReferenceBackend();
    ModelState init = org.resbench.harness.model.Initializer.initialize(spec, 5);
    List<Trainer.Position> positions = new ArrayList<>();
    List<org.resbench.harness.backend.TrainingState> states = new ArrayList<>();
    org.resbench.harness.backend.TrainingState whole;
    try (Session s = ref.open(spec, init.copy(), org.resbench.harness.backend.SessionOptions.DEFAULT)) {
      Trainer.train(s, data, null, config, List.of(), Trainer.Position.START, (session, position) -> {
        positions.add(position);
        states.add(session.readTrainingState());
      });
      whole = s.readTrainingState();
    }
    assertEquals(List.of(4, 8, 9), positions.stream().map(Trainer.Position::step).toList(),
        "every 4 steps and at the end");
    org.resbench.harness.backend.TrainingState resumed;
    try (Session s = ref.open(spec, init.copy(), org.resbench.harness.backend.SessionOptions.DEFAULT)) {
      s.loadTrainingState(states.get(0));
      Trainer.train(s, data, null, config, List.of(), positions.get(0), Trainer.Checkpointer.NONE);
      resumed = s.readTrainingState();
    }
    whole.values().forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v, resumed.values().get(k), 0.0,
        k));
    whole.momentum().forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v,
        resumed.momentum().get(k), 0.0, "momentum of " + k));
    assertTrue(positions.get(0).firstLoss() > 0, "the first loss travels with the position (divergence scale)");
  }
}
