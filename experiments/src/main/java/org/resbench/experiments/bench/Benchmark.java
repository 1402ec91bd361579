package org.resbench.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.resbench.experiments.ResidentMemory;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BareInference;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.results.stats.Samples;

/**
 * Times inference, bare engine inference and training steps of one spec on several backends in one process.
 * Rounds interleave the backends, and the harness path and the bare loop alternate call by call in ABBA
 * order, so that ratios taken from one run are fair on a noisy machine. Stateless; one run per call.
 */
public final class Benchmark {
  private Benchmark() {}

  /**
   * Runs the benchmark. Sessions stay open for the whole run (one per backend and batch size), so every
   * round measures warm sessions.
   *
   * @param progress receives a line per finished (round, backend, batch)
   */
  public static BenchResult run(BenchConfig cfg, List<Backend> backends, Consumer<String> progress) {
    List<String> skipped = new ArrayList<>();
    ModelState state = Initializer.initialize(cfg.spec(), cfg.seed());
    SgdConfig sgd = SgdConfig.HE_2016;
    SessionOptions options = SessionOptions.builder().optThreads(cfg.threads()).optSgd(sgd).build();
    BlockGates gates = BlockGates.ones(cfg.spec());
    List<Slot> slots = new ArrayList<>();
    try {
      for (Backend b : backends) {
        Capabilities caps = b.probe();
        if (!caps.can(Capability.INFERENCE)) {
          skipped.add(b.name() + ": " + (caps.available() ? "cannot run inference" : caps.unavailableReason()));
          continue;
        }
        boolean train = cfg.train() && caps.can(Capability.TRAINING);
        if (cfg.train() && !train) {
          skipped.add(b.name() + " train-step: the backend cannot train");
        }
        for (int batch : cfg.batches()) {
          HostTensor x = randomInput(cfg, batch);
          int[] labels = randomLabels(cfg, batch);
          Session inference = b.open(cfg.spec(), state, options);
          slots.add(new Slot(b, batch, x, labels, inference, null, null));
          Slot slot = slots.get(slots.size() - 1);
          slot.residentAfterOpen = ResidentMemory.current();
          if (cfg.bare()) {
            Optional<BareInference> bare = b.bareInference(cfg.spec(), state, x, options);
            if (bare.isEmpty()) {
              skipped.add(b.name() + " bare-inference: the backend has no bare loop");
            }
            slot.bare = bare.orElse(null);
          }
          if (train) {
            slot.trainer = b.open(cfg.spec(), state, options);
          }
        }
      }
      for (Slot s : slots) {
        for (int i = 0; i < cfg.warmup(); i++) {
          s.session.forward(s.input, BnMode.INFERENCE, gates);
          if (s.bare != null) {
            s.bare.runOnce();
          }
          if (s.trainer != null) {
            s.trainer.trainStep(s.input, s.labels, gates, 1e-3);
          }
        }
      }
      for (int round = 0; round < cfg.rounds(); round++) {
        for (Slot s : slots) {
          for (int i = 0; i < cfg.iterations(); i++) {
            // ABBA order: the harness call goes first on even iterations and second on odd ones, so whatever
            // the first call of a pair pays (cache, frequency) is shared equally by both paths.
            boolean harnessFirst = s.bare == null || i % 2 == 0;
            if (!harnessFirst) {
              s.bareTimes.add(timeBare(s));
            }
            long t0 = System.nanoTime();
            s.session.forward(s.input, BnMode.INFERENCE, gates);
            s.inference.add((System.nanoTime() - t0) / 1e9);
            if (harnessFirst && s.bare != null) {
              s.bareTimes.add(timeBare(s));
            }
          }
          if (s.trainer != null) {
            for (int i = 0; i < cfg.iterations(); i++) {
              long t0 = System.nanoTime();
              s.trainer.trainStep(s.input, s.labels, gates, 1e-3);
              s.trainTimes.add((System.nanoTime() - t0) / 1e9);
            }
          }
          progress.accept(String.format(java.util.Locale.ROOT, "round %d/%d  %-16s batch %-4d inference %.2f ms%s",
              round + 1, cfg.rounds(), s.backend.name(), s.batch, 1e3 * new Samples(toArray(s.inference)).median(),
              s.trainTimes.isEmpty() ? "" : String.format(java.util.Locale.ROOT, ", train-step %.2f ms",
                  1e3 * new Samples(toArray(s.trainTimes)).median())));
        }
      }
      List<BenchResult.Cell> cells = new ArrayList<>();
      for (Slot s : slots) {
        cells.add(new BenchResult.Cell(s.backend.name(), s.batch, Measure.INFERENCE, new Samples(toArray(s.inference)),
            s.residentAfterOpen));
        if (!s.bareTimes.isEmpty()) {
          cells.add(new BenchResult.Cell(s.backend.name(), s.batch, Measure.BARE_INFERENCE,
              new Samples(toArray(s.bareTimes)), s.residentAfterOpen));
        }
        if (!s.trainTimes.isEmpty()) {
          cells.add(new BenchResult.Cell(s.backend.name(), s.batch, Measure.TRAIN_STEP,
              new Samples(toArray(s.trainTimes)), s.residentAfterOpen));
        }
      }
      return new BenchResult(cfg.spec().name(), cfg.spec().macs(), cells, skipped);
    } finally {
      for (Slot s : slots) {
        s.close();
      }
    }
  }

  private static double timeBare(Slot s) {
    long t = System.nanoTime();
    s.bare.runOnce();
    return (System.nanoTime() - t) / 1e9;
  }

  private static HostTensor randomInput(BenchConfig cfg, int batch) {
    SplittableRandom r = Rngs.stream(cfg.seed(), "bench/input/" + batch);
    float[] x = new float[Math.multiplyExact(batch, cfg.spec().inputShape().size())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Rngs.gaussian(r);
    }
    int[] shape = new int[cfg.spec().inputShape().rank() + 1];
    shape[0] = batch;
    System.arraycopy(cfg.spec().inputShape().dims(), 0, shape, 1, shape.length - 1);
    return HostTensor.of(x, shape);
  }

  private static int[] randomLabels(BenchConfig cfg, int batch) {
    SplittableRandom r = Rngs.stream(cfg.seed(), "bench/labels/" + batch);
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = r.nextInt(cfg.spec().outputs());
    }
    return y;
  }

  private static double[] toArray(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The open sessions and timings of one (backend, batch). */
  private static final class Slot {
    final Backend backend;
    final int batch;
    final HostTensor input;
    final int[] labels;
    final Session session;
    BareInference bare;
    Session trainer;
    long residentAfterOpen = -1;
    final List<Double> inference = new ArrayList<>();
    final List<Double> bareTimes = new ArrayList<>();
    final List<Double> trainTimes = new ArrayList<>();

    Slot(Backend backend, int batch, HostTensor input, int[] labels, Session session, BareInference bare,
        Session trainer) {
      this.backend = backend;
      this.batch = batch;
      this.input = input;
      this.labels = labels;
      this.session = session;
      this.bare = bare;
      this.trainer = trainer;
    }

    void close() {
      session.close();
      if (bare != null) {
        bare.close();
      }
      if (trainer != null) {
        trainer.close();
      }
    }
  }
}
