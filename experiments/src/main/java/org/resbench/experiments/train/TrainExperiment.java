package org.resbench.experiments.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.training.CellRunner;
import org.resbench.experiments.training.Cells;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainedWeights;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.RunStatus;

/**
 * Trains one net on every chosen backend and seed with identical initial weights, batches, augmentation and
 * gates, with checkpoints, and records the curves, test errors and weights hashes. Stateless.
 */
public final class TrainExperiment implements Experiment<TrainConfig> {
  @Override
  public String name() {
    return "train";
  }

  @Override
  public String description() {
    return "one net trained on every chosen backend and seed from identical weights and batches: loss and error"
        + " curves, test error with confidence intervals, weights hashes, checkpoints and resume";
  }

  @Override
  public Class<TrainConfig> configType() {
    return TrainConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.TRAINING);
  }

  @Override
  public ExperimentResult run(TrainConfig config, ExperimentContext ctx) {
    ImageData data = ctx.datasets().apply(config.data());
    ModelSpec spec = Cells.fitToData(config.spec(), data);
    Path init = config.init() == null ? null : TrainedWeights.resolve(config.init(), ctx.run().folder().getParent());
    List<CellRunner.Cell> cells = new ArrayList<>();
    for (long seed : config.seeds()) {
      for (Backend b : ctx.backends()) {
        cells.add(new CellRunner.Cell(b.name() + "-s" + seed, b.name(), spec, b, seed,
            config.training().warmupSteps() > 0, init));
      }
    }
    List<TrainedRun> previous = ctx.run().previous().map(d -> ((TrainData) d).runs()).orElse(List.of());
    List<TrainedRun> runs = Cells.train(cells, data, config.training(), ctx, previous,
        sofar -> new TrainData(spec.name(), data.summary(), sofar), "train " + spec.name());
    List<String> messages = new ArrayList<>();
    if (!spec.name().equals(org.resbench.harness.spec.SpecNames.build(config.spec()).name())) {
      messages.add("spec " + config.spec() + " adapted to the data: " + spec.name());
    }
    if (data.synthetic()) {
      messages.add("data: the synthetic set (" + data.summary() + "): test errors are not comparable with"
          + " any published figure");
    }
    for (TrainedRun r : runs) {
      messages.add(String.format(Locale.ROOT, "%s seed %d: %s%s after %d steps, %.0f img/s%s", r.backend(), r.seed(),
          r.status(), r.testErrorPercent() == null ? (r.reason() == null ? "" : " (" + r.reason() + ")")
              : String.format(Locale.ROOT, ", test error %.2f%% (chance %.0f%%)", r.testErrorPercent(),
                  100.0 * (spec.outputs() - 1) / spec.outputs()), r.history().steps(),
          r.imagesPerSecond(), r.weightsHash() == null ? "" : ", weights sha256 " + r.weightsHash().substring(0, 16)));
    }
    boolean allCompleted = runs.stream().allMatch(r -> TrainedRun.COMPLETED.equals(r.status()));
    return new ExperimentResult(allCompleted ? RunStatus.PASSED : RunStatus.INCOMPLETE,
        new TrainData(spec.name(), data.summary(), runs), messages);
  }
}
