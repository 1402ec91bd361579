package org.resbench.experiments.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.Progress;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.results.ExperimentData;

/**
 * Runs the cells of a training experiment one after another with checkpoints, saving the run's record after
 * each checkpoint, and on a resumed run skips the cells that had ended and continues the others. Stateless.
 */
public final class Cells {
  private Cells() {}

  /**
   * Trains every cell and returns their records in order.
   *
   * @param previous the cells the interrupted run recorded (empty for a fresh run)
   * @param partial builds the experiment's data from the cells so far, for the saved record
   */
  public static List<TrainedRun> train(List<CellRunner.Cell> cells, ImageData data, TrainingSettings settings,
      ExperimentContext ctx, List<TrainedRun> previous, Function<List<TrainedRun>, ExperimentData> partial,
      String task) {
    Map<String, TrainedRun> before = new LinkedHashMap<>();
    previous.forEach(r -> before.put(r.cell(), r));
    long remaining = 0;
    for (CellRunner.Cell c : cells) {
      TrainedRun p = before.get(c.id());
      int total = settings.totalSteps(data.train().size());
      remaining += p != null && p.ended() ? 0 : total - (p == null ? 0 : p.history().steps());
    }
    Path folder = ctx.run().folder();
    List<TrainedRun> done = new ArrayList<>();
    try (Progress progress = ctx.progress().start(task, Math.max(1, remaining))) {
      for (CellRunner.Cell c : cells) {
        TrainedRun r = CellRunner.train(c, data, settings, ctx.options(), folder, Optional.ofNullable(before.get(
            c.id())), progress, partialRun -> {
              List<TrainedRun> sofar = new ArrayList<>(done);
              sofar.add(partialRun);
              ctx.run().save(partial.apply(sofar), List.of());
            });
        done.add(r);
        ctx.run().save(partial.apply(done), List.of());
      }
    }
    return done;
  }

  /**
   * A session of {@code cell}'s net on its backend with the weights of its final checkpoint ({@code run}'s), for
   * measurements on the trained net. The caller closes it.
   */
  public static org.resbench.harness.backend.Session openTrained(CellRunner.Cell cell, TrainedRun run,
      Path runFolder, org.resbench.harness.backend.SessionOptions options) {
    if (run.checkpoint() == null) {
      throw new IllegalStateException("cell " + cell.id() + " has no checkpoint (status " + run.status() + ")");
    }
    return cell.backend().open(cell.spec(), org.resbench.results.training.CheckpointFiles.read(
        runFolder.resolve(run.checkpoint())).state().model(), options);
  }

  /**
   * The spec as named, or, when the name gives no input shape or outputs, adapted to the data set's (a
   * {@code resnet-20} on Fashion-MNIST padded to 32x32 becomes {@code resnet-20-in1x32x32}).
   */
  public static ModelSpec fitToData(String name, ImageData data) {
    ModelSpec spec = SpecNames.build(name);
    boolean explicit = name.contains("-in") || name.contains("-out");
    if (!explicit && (!spec.inputShape().equals(data.train().sampleShape())
        || spec.outputs() != data.train().numClasses())) {
      spec = SpecNames.build(spec.name() + "-in" + data.train().sampleShape() + "-out" + data.train().numClasses());
    }
    if (!spec.inputShape().equals(data.train().sampleShape()) || spec.outputs() != data.train().numClasses()) {
      throw new IllegalArgumentException("spec '" + name + "' takes " + spec.inputShape() + " with " + spec.outputs()
          + " outputs but " + data.name() + " has " + data.train().sampleShape() + " with " + data.train()
          .numClasses() + " classes; allowed: a spec without -in/-out (adapted to the data) or matching ones");
    }
    return spec;
  }
}
