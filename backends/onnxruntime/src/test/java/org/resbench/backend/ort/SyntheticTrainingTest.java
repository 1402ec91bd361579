package org.resbench.backend.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Training through the generated graphs learns: a small ResNet on the seeded synthetic images. */
class SyntheticTrainingTest {

  @Test
  void twoHundredStepsLowerTheLossClearly() {
    ModelSpec spec = SpecNames.build("resnet-8-in3x16x16");
    InMemoryDataset train = SyntheticImageDataset.generate("synthetic/train", Shape.of(3, 16, 16), 10, 2048, 0.5, 1);
    InMemoryDataset test = SyntheticImageDataset.generate("synthetic/test", Shape.of(3, 16, 16), 10, 512, 0.5, 1);
    TrainingConfig config = TrainingConfig.builder(200, 32).optSchedule(new LrSchedule.Constant(0.05)).optSeed(2)
        .build();
    List<Double> losses = new ArrayList<>();
    TrainingListener record = new TrainingListener() {
      @Override
      public void onStep(StepMetrics m) {
        losses.add(m.loss());
      }
    };
    try (Session s = new OrtCpuBackend().open(spec, Initializer.initialize(spec, 1), SessionOptions.DEFAULT)) {
      TrainingOutcome out = Trainer.train(s, train, test, config, List.of(record));
      assertEquals(TrainingOutcome.Status.COMPLETED, out.status(), String.valueOf(out.reason()));
      double first = mean(losses.subList(0, 10));
      double last = mean(losses.subList(190, 200));
      // ln 10 = 2.30 at chance; the synthetic classes are separable, so the loss must fall by far more than noise.
      assertEquals(Math.log(10), losses.get(0), 0.7, "the first step's loss is near chance");
      assertTrue(last < 0.5 * first, "mean loss of the first 10 steps " + first + ", of the last 10 " + last);
      assertTrue(out.finalEvaluation().errorPercent() < 40, "held-out error " + out.finalEvaluation().errorPercent()
          + "% (chance: 90%)");
    }
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
