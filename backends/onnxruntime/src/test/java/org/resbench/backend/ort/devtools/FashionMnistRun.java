package org.resbench.backend.ort.devtools;

import java.util.List;
import java.util.Locale;
import org.resbench.backend.ort.OrtCpuBackend;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.data.DataOptions;
import org.resbench.harness.data.DataSplits;
import org.resbench.harness.data.Datasets;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.train.LrSchedule;
import org.resbench.harness.train.Trainer;
import org.resbench.harness.train.TrainingConfig;
import org.resbench.harness.train.TrainingListener;
import org.resbench.harness.train.TrainingOutcome;

/**
 * A developer tool, not a test: trains ResNet-20 on Fashion-MNIST (padded to 32x32, pad-and-crop) on ort-cpu and
 * prints the test error. Batch 128, cosine learning rate from 0.1 to 0, SGD with momentum 0.9 and weight decay
 * 1e-4; steps from the first argument (400 by default: 13.7% test error, about two minutes on two quiet cores).
 * Needs the data set ({@code resbench data fetch fashion-mnist}). Run from the repository root:
 * <pre>
 * mvn -q -o -pl backends/onnxruntime -am -DskipTests test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/ort-cp.txt
 * java -cp backends/onnxruntime/target/test-classes:backends/onnxruntime/target/classes:$(cat /tmp/ort-cp.txt) \
 *     org.resbench.backend.ort.devtools.FashionMnistRun 400
 * </pre>
 */
public final class FashionMnistRun {
  private FashionMnistRun() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    DataSplits data = Datasets.load("fashion-mnist", DataOptions.defaults());
    ModelSpec spec = SpecNames.build("resnet-20-in1x32x32");
    TrainingConfig config = TrainingConfig.builder(steps, 128).optSchedule(new LrSchedule.Cosine(0.1, 0, steps))
        .optAugmentation(data.augmentation()).optEvalBatchSize(500).optSeed(1).build();
    TrainingListener log = new TrainingListener() {
      @Override
      public void onStep(StepMetrics m) {
        if (m.step() % 50 == 0 || m.step() == steps - 1) {
          System.out.printf(Locale.ROOT, "step %d: loss %.4f, batch error %.1f%%, %.0f ms%n", m.step(), m.loss(),
              m.trainErrorPercent(), m.nanos() / 1e6);
        }
      }
    };
    long start = System.nanoTime();
    try (Session s = new OrtCpuBackend().open(spec, Initializer.initialize(spec, 1), SessionOptions.DEFAULT)) {
      TrainingOutcome out = Trainer.train(s, data.train(), data.test(), config, List.of(log));
      System.out.printf(Locale.ROOT, "%s after %d steps: test error %.2f%% (mean loss %.4f) on %d images, %.0f s%n",
          out.status(), out.stepsCompleted(), out.finalEvaluation().errorPercent(), out.finalEvaluation().meanLoss(),
          out.finalEvaluation().examples(), (System.nanoTime() - start) / 1e9);
    }
  }
}
