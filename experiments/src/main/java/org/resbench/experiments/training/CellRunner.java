package org.resbench.experiments.training;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.Progress;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.train.Evaluator;
import org.resbench.harness.train.Trainer;
import org.resbench.harness.train.TrainingConfig;
import org.resbench.harness.train.TrainingListener;
import org.resbench.harness.train.TrainingOutcome;
import org.resbench.results.training.Checkpoint;
import org.resbench.results.training.CheckpointFiles;
import org.resbench.results.training.TrainingHistory;

/**
 * Trains one cell (a net, a backend, a seed) of a training experiment with checkpoints: every
 * {@link TrainingConfig#checkpointEvery()} steps and at the end it writes {@code RUN/checkpoints/CELL/step-N.npz}
 * (keeping the newest two) and hands the partial {@link TrainedRun} to the experiment to save in the run's
 * record. When the cell's folder already holds a checkpoint (an interrupted run being resumed), it continues from
 * the newest one: same weights, momentum, statistics, step and metrics, so the result is the same bits as an
 * uninterrupted run's. Stateless; one cell per call.
 */
public final class CellRunner {
  private CellRunner() {}

  /** Checkpoints kept per cell: the newest and the one before (in case the newest is being written). */
  static final int KEEP = 2;

  /**
   * One cell.
   *
   * @param id unique within the run; letters, digits, '.', '_', '-' (it names the checkpoint folder)
   * @param group what the cell stands for in the comparison
   * @param spec the net (its input shape and outputs fit the data)
   * @param backend where it trains
   * @param seed weights, data order, augmentation and gates
   * @param warmup whether the warm-up of the settings applies to this net
   * @param init a checkpoint to start from instead of the seed's weights (its step and metrics carry on), or null
   */
  public record Cell(String id, String group, ModelSpec spec, Backend backend, long seed, boolean warmup, Path init) {
    public Cell {
      if (!id.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("cell id '" + id + "'; allowed: letters, digits, '.', '_' and '-'");
      }
    }
  }

  /**
   * Trains {@code cell} to the end (or to divergence), resuming from its newest checkpoint in {@code runFolder}
   * if there is one; a cell that had already ended ({@code previous}) is returned as it was.
   *
   * @param previous the cell as the interrupted run recorded it, if any
   * @param saved receives the cell's record after each checkpoint, to save in the run's record
   */
  public static TrainedRun train(Cell cell, ImageData data, TrainingSettings settings, SessionOptions options,
      Path runFolder, Optional<TrainedRun> previous, Progress progress, Consumer<TrainedRun> saved) {
    if (previous.isPresent() && previous.get().ended()) {
      return previous.get();
    }
    ModelSpec spec = cell.spec();
    TrainingConfig config = settings.loopConfig(data.train().size(), cell.seed(), data.augmentation(),
        cell.warmup());
    Path dir = runFolder.resolve("checkpoints").resolve(cell.id());
    Optional<Path> latest = CheckpointFiles.latest(dir);
    List<Integer> resumedAt = new ArrayList<>(previous.map(TrainedRun::resumedAt).orElse(List.of()));
    Checkpoint start = null;
    if (latest.isPresent()) {
      start = CheckpointFiles.read(latest.get());
      resumedAt.add(start.about().step());
    } else if (cell.init() != null) {
      start = CheckpointFiles.read(cell.init());
    }
    if (start != null && !start.state().spec().hash().equals(spec.hash())) {
      throw new IllegalArgumentException("checkpoint " + (latest.isPresent() ? latest.get() : cell.init())
          + " is of spec '" + start.state().spec().name() + "'; allowed: a checkpoint of '" + spec.name() + "'");
    }
    SessionOptions opts = new SessionOptions(options.threads(), settings.sgd());
    Trainer.Position position = start == null ? Trainer.Position.START : start.position();
    TrainingHistory.Builder history = new TrainingHistory.Builder(start == null ? TrainingHistory.empty()
        : start.history());
    LabeledDataset validation = data.validationSplit().orElse(data.test());
    String[] lastCheckpoint = {null};
    try (Session s = cell.backend().open(spec, start == null ? Initializer.initialize(spec, cell.seed())
        : start.state().model(), opts)) {
      if (start != null) {
        s.loadTrainingState(start.state());
      }
      TrainingListener listener = new TrainingListener() {
        @Override
        public void onStep(StepMetrics m) {
          history.step(m.loss(), m.learningRate(), m.trainErrorPercent(), m.nanos() / 1e9, m.activeBlocks());
          progress.step(String.format(Locale.ROOT, "%s step %d loss %.4f", cell.id(), m.step() + 1, m.loss()));
        }

        @Override
        public void onEvaluation(EvalMetrics m) {
          history.evaluation(m.step(), m.errorPercent(), m.meanLoss());
        }
      };
      Trainer.Checkpointer checkpointer = (session, pos) -> {
        TrainingState state = session.readTrainingState();
        Checkpoint c = new Checkpoint(new Checkpoint.About(Checkpoint.FORMAT, Checkpoint.VERSION, spec.name(),
            spec.hash(), cell.backend().name(), state.precision().name(), cell.seed(), pos.step(), config.steps(),
            pos.firstLoss(), pos.lastEvaluation(), runFolder.getFileName().toString(), cell.id(),
            state.model().sha256(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()), state,
            history.build());
        Path file = CheckpointFiles.write(dir, c);
        CheckpointFiles.prune(dir, KEEP);
        lastCheckpoint[0] = runFolder.relativize(file).toString();
        if (pos.step() < config.steps()) {
          saved.accept(record(cell, config, TrainedRun.RUNNING, null, history.build(), null, null,
              lastCheckpoint[0], resumedAt));
        }
      };
      TrainingOutcome outcome = Trainer.train(s, data.train(), validation, config, List.of(listener), position,
          checkpointer);
      if (!outcome.completed()) {
        return record(cell, config, TrainedRun.DIVERGED, outcome.reason(), history.build(), null, null,
            lastCheckpoint[0], resumedAt);
      }
      TrainingListener.EvalMetrics test = Evaluator.evaluate(s, data.test(), 256, BlockGates.inference(spec),
          config.steps());
      return record(cell, config, TrainedRun.COMPLETED, null, history.build(), test.errorPercent(), test.meanLoss(),
          lastCheckpoint[0], resumedAt, s.readState().sha256());
    } catch (BackendException e) {
      return record(cell, config, TrainedRun.FAILED, e.getMessage(), history.build(), null, null, lastCheckpoint[0],
          resumedAt);
    }
  }

  private static TrainedRun record(Cell cell, TrainingConfig config, String status, String reason,
      TrainingHistory history, Double testError, Double testLoss, String checkpoint, List<Integer> resumedAt) {
    return record(cell, config, status, reason, history, testError, testLoss, checkpoint, resumedAt, null);
  }

  private static TrainedRun record(Cell cell, TrainingConfig config, String status, String reason,
      TrainingHistory history, Double testError, Double testLoss, String checkpoint, List<Integer> resumedAt,
      String weightsHash) {
    return new TrainedRun(cell.id(), cell.group(), cell.spec().name(), cell.backend().name(), cell.seed(),
        config.batchSize(), config.steps(), status, reason, history, testError, testLoss, weightsHash, checkpoint,
        resumedAt);
  }
}
