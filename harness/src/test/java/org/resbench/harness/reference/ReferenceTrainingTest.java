package org.resbench.harness.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.data.InMemoryDataset;
import org.resbench.harness.data.SyntheticImageDataset;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.train.LrSchedule;
import org.resbench.harness.train.Trainer;
import org.resbench.harness.train.TrainingConfig;
import org.resbench.harness.train.TrainingListener;
import org.resbench.harness.train.TrainingOutcome;

/** The whole loop end to end: a small ResNet trained by {@link Trainer} on the reference learns a synthetic task. */
class ReferenceTrainingTest {

  @Test
  void smallResNetLearnsTheSyntheticTask() {
    ModelSpec spec = SpecNames.build("resnet-8-in3x8x8-out4");
    InMemoryDataset train = SyntheticImageDataset.generate("synthetic/train", Shape.of(3, 8, 8), 4, 256, 0.5, 1);
    InMemoryDataset eval = SyntheticImageDataset.generate("synthetic/eval", Shape.of(3, 8, 8), 4, 128, 0.5, 1);
    TrainingConfig config = TrainingConfig.builder(40, 16).optSchedule(new LrSchedule.Constant(0.05)).optSeed(2)
        .build();
    List<Double> losses = new ArrayList<>();
    TrainingListener record = new TrainingListener() {
      @Override
      public void onStep(StepMetrics m) {
        losses.add(m.loss());
      }
    };
    TrainingOutcome out;
    try (Session s = new ReferenceBackend().open(spec, Initializer.initialize(spec, 3), SessionOptions.DEFAULT)) {
      out = Trainer.train(s, train, eval, config, List.of(record));
    }
    assertTrue(out.completed(), String.valueOf(out.reason()));
    double first = losses.get(0);
    double last = losses.subList(30, 40).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    // Chance is a loss of ln 4 = 1.39 and 75% error; the task is easy (noise 0.5 around smooth prototypes), so
    // a working backward pass and update bring the loss down by orders of magnitude within 40 steps.
    assertTrue(first > 1, "the first step starts near chance: " + first);
    assertTrue(last < 0.05 * first, "mean loss of the last 10 steps " + last + " vs the first step's " + first);
    assertTrue(out.finalEvaluation().errorPercent() < 25, "held-out error " + out.finalEvaluation().errorPercent()
        + "% (chance 75%)");
  }
}
